/**
 * The report as PDF inside the desktop app: Electron's own Chromium prints
 * it (no other browser needed). The page lives in a hidden window of its
 * own session, JavaScript off and every request refused, as the report is
 * self-contained (src/main/bench/report.ts).
 */
import { BrowserWindow, session } from 'electron';
import { writeFile } from 'node:fs/promises';

export async function printPdfWithElectron(html: string, pdfPath: string): Promise<void> {
  const offline = session.fromPartition('jwb-report-pdf');
  offline.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:') }));
  const window = new BrowserWindow({
    show: false,
    webPreferences: { session: offline, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  try {
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
    const pdf = await window.webContents.printToPDF({
      pageSize: 'A4',
      printBackground: true,
      margins: { top: 0.47, bottom: 0.47, left: 0.39, right: 0.39 }, // inches: 12 mm and 10 mm, as the CLI's
    });
    await writeFile(pdfPath, pdf);
  } finally {
    window.destroy();
  }
}
