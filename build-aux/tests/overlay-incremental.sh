# The overlay copies only files whose content changed, so an edit of one of
# our files rebuilds only what depends on it.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

top=$T/top
dest=$T/dest
mkdir -p "$top/hw/s390x" "$top/docs" "$dest/hw/s390x"
echo "int a;" >"$top/hw/s390x/a.c"
echo "int b;" >"$top/hw/s390x/b.c"
echo "doc" >"$top/docs/x.rst"

out=$("$TOP/build-aux/overlay.sh" "$top" "$dest")
[ "$(echo "$out" | wc -l)" = 3 ] || fail "first overlay copied: $out"
cmp -s "$top/hw/s390x/a.c" "$dest/hw/s390x/a.c" || fail "a.c not copied"

touch -d '2000-01-01' "$dest/hw/s390x/a.c" "$dest/hw/s390x/b.c"
out=$("$TOP/build-aux/overlay.sh" "$top" "$dest")
[ -z "$out" ] || fail "unchanged files copied again: $out"
[ "$(stat -c %Y "$dest/hw/s390x/a.c")" = "$(date -d 2000-01-01 +%s)" ] ||
    fail "an unchanged file was touched"

echo "int a2;" >"$top/hw/s390x/a.c"
out=$("$TOP/build-aux/overlay.sh" "$top" "$dest")
[ "$out" = "hw/s390x/a.c" ] || fail "after an edit the overlay copied '$out'"
[ "$(stat -c %Y "$dest/hw/s390x/b.c")" = "$(date -d 2000-01-01 +%s)" ] ||
    fail "b.c was touched although unchanged"
echo "ok: only the edited file was copied"

# Copying into a hard-linked base tree must not write through the link.
echo "base" >"$T/base.c"
ln "$T/base.c" "$dest/hw/s390x/b.c.link" 2>/dev/null
rm -f "$dest/hw/s390x/b.c" && ln "$T/base.c" "$dest/hw/s390x/b.c"
"$TOP/build-aux/overlay.sh" "$top" "$dest" >/dev/null
[ "$(cat "$T/base.c")" = base ] || fail "the overlay wrote through a hard link"
echo "ok: hard-linked base file left intact"
