#!/usr/bin/env python3
"""The translations' tests (meson suite 'po'). Each mode exits 0 (pass), 1 (fail) or 77 (skip).

  check-po.py catalog SOURCE_DIR
      msgfmt --check --statistics on every po/<lang>.po of po/LINGUAS: fails on a format
      mismatch, an untranslated message or a fuzzy one.
  check-po.py template SOURCE_DIR
      po/POTFILES.in lists every file that marks strings (_(), N_(), C_(), NC_(), g_dngettext,
      g_dpgettext2, translatable="yes") and only files that exist; no .ui property a person
      reads lacks a translatable attribute; the template regenerated from the sources (xgettext
      into a temporary folder, the keywords of meson's glib preset) has exactly the messages of
      every <lang>.po: a string added to the sources and not to the translation fails, and so
      does a translation left over from a string that is gone.
  check-po.py runtime BUILD_DIR SOURCE_DIR
      neurowire-cli run from the build tree speaks Korean with LANGUAGE=ko (its --help, a usage
      error, a spec error from core) and English in the C locale.
"""
import os
import re
import subprocess
import sys
import tempfile

# meson's i18n preset 'glib' (mesonbuild/modules/i18n.py), plus the -k_ meson always adds.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments', '-k_', '--keyword=_', '--keyword=N_',
    '--keyword=C_:1c,2', '--keyword=NC_:1c,2', '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
]
MARKERS = re.compile(r'\b(?:N?C?_|g_dngettext|g_dpgettext2)\s*\(')
SOURCE_DIRS = ('core', 'cl', 'ui', 'app')
UI_DIR = os.path.join('resources', 'ui')
# Properties and attributes whose text a person reads, in GtkBuilder files.
UI_READ = re.compile(r'<(property|attribute) name="(label|tooltip-text|title|text|description|'
                     r'placeholder-text|subtitle)"([^>]*)>([^<]*)<|<item([^>]*)>([^<]*)<')

failures = []


def fail(message):
    failures.append(message)
    print('FAIL ' + message, flush=True)


def linguas(src):
    langs = []
    with open(os.path.join(src, 'po', 'LINGUAS'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            langs += line.split()
    return langs


def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    body = s[1:-1]
    out = []
    i = 0
    escapes = {'n': '\n', 't': '\t', '"': '"', '\\': '\\', 'r': '\r'}
    while i < len(body):
        c = body[i]
        if c == '\\' and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def read_po(path):
    """{(msgctxt, msgid, msgid_plural): {'fuzzy': bool, 'translated': bool}} of the live
    entries (not obsolete, not the header)."""
    entries = {}
    cur = None
    key = None

    def flush():
        if cur is not None and cur.get('msgid'):
            k = (cur.get('msgctxt'), cur['msgid'], cur.get('msgid_plural'))
            entries[k] = {'fuzzy': cur['fuzzy'],
                          'translated': bool(cur['msgstr']) and all(cur['msgstr'])}

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip():
                flush()
                cur = None
                continue
            if line.startswith('#~'):
                continue
            if cur is None:
                cur = {'fuzzy': False, 'msgstr': []}
            if line.startswith('#,') and 'fuzzy' in line:
                cur['fuzzy'] = True
            if line.startswith('#'):
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if m:
                key = m.group(1)
                if key.startswith('msgstr'):
                    cur['msgstr'].append(unquote(m.group(2)))
                else:
                    cur[key] = unquote(m.group(2))
            elif line.startswith('"'):
                if key.startswith('msgstr'):
                    cur['msgstr'][-1] += unquote(line)
                else:
                    cur[key] += unquote(line)
    flush()
    return entries


def describe(key):
    ctx, msgid, plural = key
    text = msgid if len(msgid) < 70 else msgid[:67] + '...'
    return (f'[{ctx}] ' if ctx else '') + repr(text)


def check_catalog(src):
    for lang in linguas(src):
        po = os.path.join(src, 'po', lang + '.po')
        r = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                           capture_output=True, text=True)
        stats = (r.stderr or '').strip()
        print(f'{lang}.po: {stats}')
        if r.returncode != 0:
            fail(f'{lang}.po: msgfmt --check failed')
        if 'untranslated' in stats or 'fuzzy' in stats:
            fail(f'{lang}.po: not every message is translated, or some are fuzzy: {stats.splitlines()[-1]}'
                 ' (run "meson compile -C build neurowire-update-po" and translate them)')
        for key, e in read_po(po).items():
            if e['fuzzy']:
                fail(f'{lang}.po: fuzzy: {describe(key)}')
            elif not e['translated']:
                fail(f'{lang}.po: untranslated: {describe(key)}')


def read_potfiles(src):
    listed = []
    with open(os.path.join(src, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                listed.append(line)
    return listed


def marking_files(src):
    found = []
    for d in SOURCE_DIRS:
        for root, _, files in os.walk(os.path.join(src, d)):
            for name in files:
                if name.endswith(('.c', '.h')):
                    path = os.path.join(root, name)
                    with open(path, encoding='utf-8', errors='replace') as f:
                        text = f.read()
                    # nw-i18n.h defines the markers; it marks nothing itself
                    if name != 'nw-i18n.h' and MARKERS.search(strip_comments(text)):
                        found.append(os.path.relpath(path, src))
    for root, _, files in os.walk(os.path.join(src, UI_DIR)):
        for name in files:
            if name.endswith('.ui'):
                path = os.path.join(root, name)
                with open(path, encoding='utf-8') as f:
                    if 'translatable="yes"' in f.read():
                        found.append(os.path.relpath(path, src))
    return sorted(found)


def strip_comments(text):
    return re.sub(r'/\*.*?\*/|//[^\n]*', '', text, flags=re.S)


def check_ui_attributes(src):
    for root, _, files in os.walk(os.path.join(src, UI_DIR)):
        for name in sorted(files):
            if not name.endswith('.ui'):
                continue
            path = os.path.join(root, name)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for m in UI_READ.finditer(text):
                attrs = m.group(3) if m.group(1) else m.group(5)
                content = m.group(4) if m.group(1) else m.group(6)
                if re.search(r'[A-Za-z]', content or '') and 'translatable=' not in (attrs or ''):
                    line = text.count('\n', 0, m.start()) + 1
                    fail(f'{os.path.relpath(path, src)}:{line}: "{content}" has no translatable '
                         'attribute (translatable="yes", or "no" for a name such as Adam)')


def check_template(src):
    listed = read_potfiles(src)
    for path in listed:
        if not os.path.exists(os.path.join(src, path)):
            fail(f'po/POTFILES.in lists {path}, which does not exist')
    for path in marking_files(src):
        if path not in listed:
            fail(f'{path} marks strings for translation but is not in po/POTFILES.in')
    check_ui_attributes(src)
    with tempfile.TemporaryDirectory(prefix='nw-pot-') as tmp:
        pot = os.path.join(tmp, 'neurowire.pot')
        r = subprocess.run(['xgettext', '--package-name=neurowire', '-D', src,
                            '-f', os.path.join(src, 'po', 'POTFILES.in'), '-o', pot]
                           + XGETTEXT_ARGS, capture_output=True, text=True)
        if r.returncode != 0:
            fail('xgettext failed: ' + r.stderr.strip())
            return
        for w in (r.stderr or '').splitlines():
            print('xgettext: ' + w)
        template = read_po(pot)
        print(f'template: {len(template)} messages from {len(listed)} files')
        for lang in linguas(src):
            po = read_po(os.path.join(src, 'po', lang + '.po'))
            missing = [k for k in template if k not in po]
            stale = [k for k in po if k not in template]
            for k in missing:
                fail(f'{lang}.po lacks a message of the sources: {describe(k)}')
            for k in stale:
                fail(f'{lang}.po has a message the sources no longer have: {describe(k)}')
            if missing or stale:
                print(f'{lang}.po: run "meson compile -C build neurowire-update-po", translate '
                      'and remove what is obsolete')
            else:
                print(f'{lang}.po: the same {len(po)} messages as the template')


def run_cli(build, args, env_extra):
    env = dict(os.environ)
    for k in ('LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE', 'NEUROWIRE_LOCALEDIR'):
        env.pop(k, None)
    env.update(env_extra)
    r = subprocess.run([os.path.join(build, 'app', 'neurowire-cli')] + args, env=env,
                       capture_output=True, text=True, encoding='utf-8', errors='replace')
    return r.returncode, r.stdout + r.stderr


def check_runtime(build, src):
    spec = os.path.join(tempfile.mkdtemp(prefix='nw-po-'), 'bad.json')
    with open(spec, 'w') as f:
        f.write('{"format": "neurowire-spec", "version": 1, "nodes": ['
                '{"id": "input", "type": "input"}, {"id": "fc 1", "type": "dense", "units": 1},'
                '{"id": "loss", "type": "loss", "loss": "mse"}], "data": {"kind": "xor"}}')
    # LANGUAGE=ko over C.UTF-8 needs no generated ko_KR locale (glibc honours it there); with
    # ko_KR.UTF-8 generated (tools/setup.sh), LANG alone must do too.
    cases = [{'LC_ALL': 'C.UTF-8', 'LANGUAGE': 'ko'}]
    locales = subprocess.run(['locale', '-a'], capture_output=True, text=True).stdout.lower()
    if 'ko_kr.utf8' in locales or 'ko_kr.utf-8' in locales:
        cases.append({'LANG': 'ko_KR.UTF-8'})
    else:
        print('ko_KR.UTF-8 is not generated here (tools/setup.sh does it): LANG=ko_KR.UTF-8 not tried')
    for env in cases:
        what = ' '.join(f'{k}={v}' for k, v in env.items())
        code, out = run_cli(build, ['--help'], env)
        if code != 0 or '사용법' not in out or '하위 명령' not in out:
            fail(f'{what}: neurowire-cli --help is not in Korean: {out[:200]!r}')
        code, out = run_cli(build, ['train', '--help'], env)
        if '학습률' not in out:
            fail(f'{what}: neurowire-cli train --help has no Korean option descriptions: {out[:300]!r}')
        code, out = run_cli(build, ['frobnicate'], env)
        if code != 2 or '알 수 없는 하위 명령' not in out:
            fail(f'{what}: a usage error is not in Korean (exit {code}): {out!r}')
        code, out = run_cli(build, ['info', '--spec', spec], env)
        if code != 1 or 'ASCII' not in out or '영문자' not in out:
            fail(f'{what}: a spec error from core is not in Korean (exit {code}): {out!r}')
        print(f'{what}: {out.strip()}')
    code, out = run_cli(build, ['frobnicate'], {'LC_ALL': 'C'})
    if "unknown subcommand 'frobnicate'" not in out:
        fail(f'LC_ALL=C: a usage error is not in English: {out!r}')
    code, out = run_cli(build, ['frobnicate'], {'LC_ALL': 'C.UTF-8', 'LANGUAGE': 'C'})
    if "unknown subcommand 'frobnicate'" not in out:
        fail(f'LANGUAGE=C: a usage error is not in English: {out!r}')


def main():
    mode = sys.argv[1]
    if mode == 'catalog':
        check_catalog(sys.argv[2])
    elif mode == 'template':
        check_template(sys.argv[2])
    elif mode == 'runtime':
        check_runtime(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f'check-po.py: unknown mode {mode}')
    print(f'{0 if failures else 1} passed, {len(failures) and 1} failed')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
