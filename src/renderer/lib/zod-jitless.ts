/**
 * Must be the renderer's first import. The shared contract builds zod
 * schemas when its module loads, and zod then probes `new Function` to
 * decide on compiled parsers. Our CSP forbids eval, so the probe fails, and
 * although zod catches the error, Chromium still reports a CSP violation.
 * jitless skips the probe (zod's own advice for strict CSPs).
 */
import { z } from 'zod';

z.config({ jitless: true });
