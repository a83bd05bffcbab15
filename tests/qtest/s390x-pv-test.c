/*
 * qtest for the s390-pv-guest object: what it is, what it sets up, and
 * every configuration it refuses at start-up or at hot-plug.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <sys/wait.h>
#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"

#define PV_MACHINE \
    "-machine s390-ccw-virtio,confidential-guest-support=pv0 "
#define PV_OBJECT "-object s390-pv-guest,id=pv0 "
#define PV PV_MACHINE PV_OBJECT

/*
 * Run QEMU on its own (not under libqtest) so that its exit status and
 * standard error can be checked.  @input, if given, goes to its monitor.
 */
static int run_qemu(const char *args, const char *input, char **err)
{
    const char *bin = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
    int status;

    g_assert_nonnull(bin);
    /* QEMU is expected to exit by itself; never let it hang the test */
    cmd = g_strdup_printf("%s%s%stimeout 60 %s -nodefaults -display none %s",
                          input ? "echo " : "", input ? input : "",
                          input ? " | " : "", bin, args);
    argv[2] = cmd;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL,
                               NULL, err, &status, &gerr));
    g_assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* QEMU must refuse @args with exactly one line ending in @msg. */
static void expect_refusal(const char *args, const char *msg)
{
    g_autofree char *err = NULL;
    int rc = run_qemu(args, NULL, &err);

    g_test_message("stderr: %s", err);
    g_assert_cmpint(rc, ==, 1);
    g_assert_true(g_str_has_prefix(err, "qemu-system-s390x: "));
    /* one line, and it ends with the message */
    g_assert_true(g_str_has_suffix(err, "\n"));
    g_assert_true(strchr(err, '\n') == err + strlen(err) - 1);
    g_assert_true(g_str_has_suffix(g_strchomp(err), msg));
}

static void test_type_listed(void)
{
    QTestState *qts = qtest_init("-machine none");
    QDict *resp;
    QListEntry *e;
    bool found = false;

    resp = qtest_qmp(qts, "{ 'execute': 'qom-list-types', 'arguments': {"
                     " 'implements': 'confidential-guest-support' } }");
    QLIST_FOREACH_ENTRY(qdict_get_qlist(resp, "return"), e) {
        QDict *t = qobject_to(QDict, qlist_entry_obj(e));

        if (!strcmp(qdict_get_str(t, "name"), "s390-pv-guest")) {
            found = true;
        }
    }
    g_assert_true(found);
    qobject_unref(resp);
    qtest_quit(qts);
}

static void check_pv0(QTestState *qts)
{
    QDict *resp;

    resp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': {"
                     " 'path': '/machine',"
                     " 'property': 'confidential-guest-support' } }");
    g_assert_cmpstr(qdict_get_str(resp, "return"), ==, "/objects/pv0");
    qobject_unref(resp);

    resp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': {"
                     " 'path': '/objects/pv0', 'property': 'type' } }");
    g_assert_cmpstr(qdict_get_str(resp, "return"), ==, "s390-pv-guest");
    qobject_unref(resp);
}

static void test_creatable(void)
{
    QTestState *qts = qtest_init(PV "-cpu max");

    check_pv0(qts);
    qtest_quit(qts);

    /* The JSON form libvirt generates */
    qts = qtest_init(PV_MACHINE
                     "-object '{\"qom-type\":\"s390-pv-guest\",\"id\":\"pv0\"}'"
                     " -cpu max");
    check_pv0(qts);
    qtest_quit(qts);
}

static void test_object_add(void)
{
    QTestState *qts = qtest_init("-machine s390-ccw-virtio");
    QDict *resp;

    resp = qtest_qmp(qts, "{ 'execute': 'object-add', 'arguments': {"
                     " 'qom-type': 's390-pv-guest', 'id': 'lsec0' } }");
    g_assert_true(qdict_haskey(resp, "return"));
    qobject_unref(resp);
    resp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': {"
                     " 'path': '/objects/lsec0', 'property': 'type' } }");
    g_assert_cmpstr(qdict_get_str(resp, "return"), ==, "s390-pv-guest");
    qobject_unref(resp);
    qtest_quit(qts);
}

static bool get_bool(QTestState *qts, const char *path, const char *prop)
{
    QDict *resp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': {"
                            " 'path': %s, 'property': %s } }", path, prop);
    bool val;

    g_assert_true(qdict_haskey(resp, "return"));
    val = qdict_get_bool(resp, "return");
    qobject_unref(resp);
    return val;
}

#define DEVICES \
    "-drive if=none,id=d0,file=null-co://,format=raw " \
    "-drive if=none,id=d1,file=null-co://,format=raw " \
    "-device virtio-blk-ccw,id=blk0,drive=d0 " \
    "-device virtio-net-ccw,id=net0 " \
    "-device virtio-rng-pci,id=rng0 " \
    "-device virtio-blk-ccw,id=blk1,drive=d1,iommu_platform=off "

static void test_iommu_platform(void)
{
    QTestState *qts = qtest_init(PV "-cpu max " DEVICES);

    g_assert_true(get_bool(qts, "/machine/peripheral/blk0",
                           "iommu_platform"));
    g_assert_true(get_bool(qts, "/machine/peripheral/net0",
                           "iommu_platform"));
    /* virtio-pci on zPCI */
    g_assert_true(get_bool(qts, "/machine/peripheral/rng0",
                           "iommu_platform"));
    /* what the user said wins */
    g_assert_false(get_bool(qts, "/machine/peripheral/blk1",
                            "iommu_platform"));
    qtest_quit(qts);

    /* Without the PV object nothing changes. */
    qts = qtest_init("-machine s390-ccw-virtio -cpu max " DEVICES);
    g_assert_false(get_bool(qts, "/machine/peripheral/blk0",
                            "iommu_platform"));
    qtest_quit(qts);
}

static void test_iommu_off_warns(void)
{
    g_autofree char *err = NULL;
    int rc;

    rc = run_qemu(PV "-accel qtest -qtest null -monitor stdio -cpu max "
                  DEVICES, "quit", &err);
    g_test_message("stderr: %s", err);
    g_assert_cmpint(rc, ==, 0);
    g_assert_nonnull(strstr(err, "warning: virtio device 'blk1' has "
                            "iommu_platform=off: a protected guest will "
                            "not be able to use it"));
    /* only for the device the user turned it off for */
    g_assert_null(strstr(err, "'blk0'"));
}

static bool has_unpack(const char *args)
{
    QTestState *qts = qtest_init(args);
    QDict *resp, *props;
    bool val;

    resp = qtest_qmp(qts, "{ 'execute': 'query-cpu-model-expansion',"
                     " 'arguments': { 'type': 'full',"
                     " 'model': { 'name': 'max' } } }");
    props = qdict_get_qdict(qdict_get_qdict(qdict_get_qdict(resp, "return"),
                                            "model"), "props");
    val = qdict_get_bool(props, "unpack");
    qobject_unref(resp);
    qtest_quit(qts);
    return val;
}

static void test_unpack_offered(void)
{
    g_autofree char *err = NULL;
    QTestState *qts;

    /* Without KVM, only a PV guest sees the unpack facility. */
    g_assert_true(has_unpack(PV "-cpu max"));
    g_assert_false(has_unpack("-machine s390-ccw-virtio -cpu max"));

    /* ... and may ask for it in another model */
    qts = qtest_init(PV "-cpu qemu,unpack=on");
    qtest_quit(qts);
    g_assert_cmpint(run_qemu("-machine s390-ccw-virtio -accel qtest "
                             "-qtest null -cpu qemu,unpack=on", NULL, &err),
                    ==, 1);
    g_assert_nonnull(strstr(err, "not available in the current configuration: "
                            "unpack"));
}

#define QT "-accel qtest -qtest null "

static void test_refuse_no_unpack(void)
{
    expect_refusal(PV QT "-cpu max,unpack=off",
                   "CPU model does not support Protected Virtualization: it "
                   "lacks the 'unpack' facility (stfle bit 161)");
    expect_refusal(PV QT "-cpu qemu",
                   "CPU model does not support Protected Virtualization: it "
                   "lacks the 'unpack' facility (stfle bit 161)");
}

static void test_refuse_accel(void)
{
    /* TCG runs PV with the software Ultravisor, which needs its key */
    expect_refusal(PV "-accel tcg -cpu max",
                   "etc/qemu/s390-pv/host-keys (host-key-dir=)");
}

static void test_refuse_hugepages(void)
{
    g_autofree char *err = NULL;
    const char *args = PV_OBJECT QT "-cpu max -m 64M "
        "-machine s390-ccw-virtio,confidential-guest-support=pv0,"
        "memory-backend=mem0 "
        "-object memory-backend-memfd,id=mem0,size=64M,hugetlb=on";

    if (run_qemu(args, NULL, &err) == 1 &&
        !strstr(err, "cannot be backed with huge pages")) {
        g_test_skip("no huge pages on this host (vm.nr_hugepages)");
        return;
    }
    expect_refusal(args, "Protected VMs cannot be backed with huge pages");
}

static void test_refuse_vfio_startup(void)
{
    expect_refusal(PV QT "-cpu max -device vfio-ccw,sysfsdev=/nonexistent",
                   "Protected Virtualization does not support passthrough "
                   "devices: 'vfio-ccw' cannot be used");
    expect_refusal(PV QT "-cpu max -device "
                   "'{\"driver\":\"vfio-pci\",\"host\":\"0000:00:01.0\"}'",
                   "Protected Virtualization does not support passthrough "
                   "devices: 'vfio-pci' cannot be used");
}

static void test_refuse_vfio_hotplug(void)
{
    QTestState *qts = qtest_init(PV "-cpu max");
    QDict *resp;

    resp = qtest_qmp(qts, "{ 'execute': 'device_add', 'arguments': {"
                     " 'driver': 'vfio-ccw', 'id': 'hostdev0',"
                     " 'sysfsdev': '/nonexistent' } }");
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(resp, "error"), "desc"),
                    ==, "Protected Virtualization does not support "
                    "passthrough devices: 'vfio-ccw' cannot be used");
    qobject_unref(resp);

    resp = qtest_qmp(qts, "{ 'execute': 'device_add', 'arguments': {"
                     " 'driver': 'vfio-pci', 'id': 'hostdev1',"
                     " 'host': '0000:00:01.0' } }");
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(resp, "error"), "desc"),
                    ==, "Protected Virtualization does not support "
                    "passthrough devices: 'vfio-pci' cannot be used");
    qobject_unref(resp);

    /* An ordinary device still hot-plugs. */
    resp = qtest_qmp(qts, "{ 'execute': 'device_add', 'arguments': {"
                     " 'driver': 'virtio-rng-ccw', 'id': 'rng9' } }");
    g_assert_true(qdict_haskey(resp, "return"));
    qobject_unref(resp);
    g_assert_true(get_bool(qts, "/machine/peripheral/rng9",
                           "iommu_platform"));
    qtest_quit(qts);
}

/*
 * Until the guest is protected its dump is a plain one: ELF notes for
 * every CPU, no Ultravisor sections.
 */
static void test_dump_unprotected(void)
{
    QTestState *qts = qtest_init(PV "-cpu max -smp 2 -m 16M");
    g_autofree char *path = g_strdup_printf("%s/s390x-pv-dump-%d.elf",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *proto = g_strdup_printf("file:%s", path);
    g_autofree char *data = NULL;
    gsize len;
    QDict *resp;

    resp = qtest_qmp(qts, "{ 'execute': 'dump-guest-memory', 'arguments': {"
                     " 'paging': false, 'protocol': %s } }", proto);
    g_assert_true(qdict_haskey(resp, "return"));
    qobject_unref(resp);
    qtest_quit(qts);

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    unlink(path);
    g_assert_cmpuint(len, >, 16 * 1024 * 1024);
    g_assert_cmpmem(data, 4, "\x7f" "ELF", 4);
    g_assert_null(memmem(data, len, "pv_mem_meta", 11));
    /* the "LINUX" notes of both CPUs are there */
    g_assert_nonnull(memmem(data, len, "LINUX", 5));
    g_assert_nonnull(memmem(data, len, "CORE", 4));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/pv/type-listed", test_type_listed);
    qtest_add_func("/pv/creatable", test_creatable);
    qtest_add_func("/pv/object-add", test_object_add);
    qtest_add_func("/pv/iommu-platform", test_iommu_platform);
    qtest_add_func("/pv/iommu-off-warns", test_iommu_off_warns);
    qtest_add_func("/pv/unpack-offered", test_unpack_offered);
    qtest_add_func("/pv/refuse/no-unpack", test_refuse_no_unpack);
    qtest_add_func("/pv/refuse/accel", test_refuse_accel);
    qtest_add_func("/pv/refuse/hugepages", test_refuse_hugepages);
    qtest_add_func("/pv/refuse/vfio-startup",
                   test_refuse_vfio_startup);
    qtest_add_func("/pv/refuse/vfio-hotplug",
                   test_refuse_vfio_hotplug);
    qtest_add_func("/pv/dump-unprotected", test_dump_unprotected);
    return g_test_run();
}
