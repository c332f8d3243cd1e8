#!/usr/bin/env python3
"""html_layout.py CHROMIUM PAGE.html [SCREENSHOT.png]

Loads a report page in headless Chromium through the DevTools protocol
(--remote-debugging-pipe: no network port, Python's standard library only),
as it is laid out for print on A4 (210 mm less the page template's 12 mm
margins: 186 mm, 703 CSS pixels), and prints one JSON object:

  console    console messages and exceptions while the page loaded
  width      the layout width in CSS pixels
  tables     how many tables; wide: how many print on a landscape page;
             tables_over: the first row of each table wider than its page
             (703 px upright, 1032 px landscape)
  hex        how many digests (span.hex); hex_not_mono: how many are not
             in a monospace font; hex_lines_max: the most lines one digest
             takes
  ts         timestamps (span.ts); ts_broken: how many take two lines

With SCREENSHOT, also a PNG of the page's first screen (screen media).
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

A4_PRINT_WIDTH_PX = 703      # 186 mm at 96 px per inch
A4_LANDSCAPE_WIDTH_PX = 1032  # 273 mm: a table of class "wide" is printed landscape

PROBE = r"""
(() => {
  const W = document.documentElement.clientWidth, WIDE = %WIDE%;
  const tables = [...document.querySelectorAll('table')];
  const over = tables.filter(t => t.getBoundingClientRect().width >
      (t.classList.contains('wide') ? WIDE : W) + 1)
    .map(t => Math.round(t.getBoundingClientRect().width) + ' px: ' + (t.rows[0] ? t.rows[0].innerText : '').slice(0, 80));
  const hex = [...document.querySelectorAll('span.hex')];
  const lines = e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size;
  const mono = e => /mono|consolas|courier/i.test(getComputedStyle(e).fontFamily);
  const ts = [...document.querySelectorAll('span.ts')];
  return {
    width: W, tables: tables.length, wide: tables.filter(t => t.classList.contains('wide')).length,
    tables_over: over,
    hex: hex.length, hex_not_mono: hex.filter(e => !mono(e)).length,
    hex_lines_max: Math.max(0, ...hex.map(lines)),
    ts: ts.length, ts_broken: ts.filter(e => lines(e) > 1).length,
  };
})()
"""


class Pipe:
    def __init__(self, chromium, profile):
        cmd_r, self.cmd_w = os.pipe()
        self.res_r, res_w = os.pipe()

        def child():
            # Chromium reads commands from fd 3 and answers on fd 4. (This
            # runs before subprocess would close other descriptors, so
            # close_fds is off and the child closes what it must not keep.)
            r, w = os.dup(cmd_r), os.dup(res_w)
            os.dup2(r, 3)
            os.dup2(w, 4)
            for fd in (r, w, cmd_r, res_w, self.cmd_w, self.res_r):
                if fd > 4:
                    os.close(fd)

        self.proc = subprocess.Popen(
            [chromium, '--headless', '--no-sandbox', '--disable-gpu',
             '--remote-debugging-pipe', '--user-data-dir=' + profile,
             '--hide-scrollbars', 'about:blank'],
            close_fds=False, preexec_fn=child,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(res_w)
        self.buf = b''
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {'id': self.next_id, 'method': method, 'params': params or {}}
        if session:
            msg['sessionId'] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b'\0')
        return self.wait(lambda m: m.get('id') == self.next_id)

    def wait(self, pred, timeout=60):
        end = time.time() + timeout
        for i, m in enumerate(self.events):
            if pred(m):
                return self.events.pop(i)
        while time.time() < end:
            while b'\0' in self.buf:
                raw, self.buf = self.buf.split(b'\0', 1)
                m = json.loads(raw)
                if pred(m):
                    return m
                self.events.append(m)
            chunk = os.read(self.res_r, 1 << 20)
            if not chunk:
                break
            self.buf += chunk
        raise SystemExit('html_layout: no answer from chromium')

    def close(self):
        self.proc.kill()
        self.proc.wait()


def main():
    chromium, page = sys.argv[1], os.path.realpath(sys.argv[2])
    shot = sys.argv[3] if len(sys.argv) > 3 else None
    profile = tempfile.mkdtemp(prefix='mailcase-chromium-')
    try:
        p = Pipe(chromium, profile)
        try:
            t = p.send('Target.createTarget', {'url': 'about:blank'})
            tid = t['result']['targetId']
            a = p.send('Target.attachToTarget', {'targetId': tid, 'flatten': True})
            s = a['result']['sessionId']
            for m in ('Page.enable', 'Runtime.enable', 'Log.enable'):
                p.send(m, session=s)
            # The probe runs from DevTools; the page itself stays under its
            # own Content-Security-Policy, which allows no script.
            p.send('Page.setBypassCSP', {'enabled': False}, session=s)
            p.send('Emulation.setDeviceMetricsOverride', {
                'width': A4_PRINT_WIDTH_PX, 'height': 1000,
                'deviceScaleFactor': 1, 'mobile': False}, session=s)
            p.send('Page.navigate', {'url': 'file://' + page}, session=s)
            p.wait(lambda m: m.get('method') == 'Page.loadEventFired')
            time.sleep(0.5)
            console = [m['params'] for m in p.events
                       if m.get('method') in ('Runtime.consoleAPICalled',
                                              'Runtime.exceptionThrown',
                                              'Log.entryAdded')]
            out = {'console': [json.dumps(c)[:200] for c in console]}
            p.send('Emulation.setEmulatedMedia', {'media': 'print'}, session=s)
            probe = PROBE.replace('%WIDE%', str(A4_LANDSCAPE_WIDTH_PX))
            r = p.send('Runtime.evaluate', {'expression': probe, 'returnByValue': True},
                       session=s)
            out.update(r['result']['result'].get('value') or {'error': r})
            if shot:
                p.send('Emulation.setEmulatedMedia', {'media': 'screen'}, session=s)
                p.send('Emulation.setDeviceMetricsOverride', {
                    'width': 1100, 'height': 1500, 'deviceScaleFactor': 1,
                    'mobile': False}, session=s)
                img = p.send('Page.captureScreenshot', {'format': 'png'}, session=s)
                with open(shot, 'wb') as f:
                    f.write(base64.b64decode(img['result']['data']))
        finally:
            p.close()
    finally:
        # Chromium may still be writing its profile as it is killed.
        shutil.rmtree(profile, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == '__main__':
    main()
