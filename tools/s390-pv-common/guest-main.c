/*
 * main() of the guest builds of s390-pvattest and s390-pvsecret: static
 * s390x binaries for a protected guest's initrd, with the commands that
 * talk to /dev/uv only (create and verify need the host build).
 *
 * Build with -DPVATTEST or -DPVSECRET.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>
#include "uvdev.h"

int main(int argc, char **argv)
{
#ifdef PVATTEST
    uvdev_tool = "s390-pvattest";
    if (argc >= 2 && !strcmp(argv[1], "perform")) {
        return pvattest_perform(argc - 1, argv + 1);
    }
    uvdev_die("this build (for protected guests) has 'perform' only: "
              "create and verify run on a trusted machine");
#else
    uvdev_tool = "s390-pvsecret";
    if (argc >= 2 && (!strcmp(argv[1], "add") || !strcmp(argv[1], "list") ||
                      !strcmp(argv[1], "lock") ||
                      !strcmp(argv[1], "retrieve") ||
                      !strcmp(argv[1], "retr"))) {
        return pvsecret_guest(argc - 1, argv + 1);
    }
    uvdev_die("this build (for protected guests) has add, list, lock and "
              "retrieve only: create runs on a trusted machine");
#endif
}
