/** The layer rules in eslint.config.js must actually bite: each case is code that breaks one. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('layer rules', () => {
  it.each([
    ['the renderer importing Node', 'src/renderer/lib/x.ts', "import { readFile } from 'node:fs';\nexport const y = readFile;\n"],
    [
      'the renderer importing main',
      'src/renderer/lib/x.ts',
      "import { createWorkbench } from '../../main/app.ts';\nexport const y = createWorkbench;\n",
    ],
    ['the renderer importing ssh2', 'src/renderer/lib/x.ts', "import ssh2 from 'ssh2';\nexport const y = ssh2;\n"],
    ['shared importing Node', 'src/shared/x.ts', "import { join } from 'path';\nexport const y = join;\n"],
    [
      'shared importing the simulator',
      'src/shared/x.ts',
      "import { getProfile } from '../sim/profiles.ts';\nexport const y = getProfile;\n",
    ],
    ['a service importing electron', 'src/main/store/x.ts', "import { app } from 'electron';\nexport const y = app;\n"],
    [
      'a service importing a shell',
      'src/main/store/x.ts',
      "import { startServeShell } from '../shell/serve.ts';\nexport const y = startServeShell;\n",
    ],
    [
      'the Electron shell using ipcMain directly',
      'src/main/shell/electron.ts',
      "import { ipcMain } from 'electron';\nexport const y = ipcMain;\n",
    ],
    [
      'the preload importing main',
      'src/preload/bridge.ts',
      "import { Dispatcher } from '../main/core/dispatcher.ts';\nexport const y = Dispatcher;\n",
    ],
    [
      'the simulator importing main',
      'src/sim/board.ts',
      "import { generateEd25519Pair } from '../main/link/ed25519.ts';\nexport const y = generateEd25519Pair;\n",
    ],
    [
      'the privileged writer importing main',
      'src/writer/x.ts',
      "import { LocalLink } from '../main/host/local-link.ts';\nexport const y = LocalLink;\n",
    ],
    ['the privileged writer opening a socket', 'src/writer/x.ts', "import { connect } from 'node:net';\nexport const y = connect;\n"],
    [
      'a service importing the writer',
      'src/main/flash/x.ts',
      "import { sha512Crypt } from '../../writer/sha512-crypt.ts';\nexport const y = sha512Crypt;\n",
    ],
    [
      'a service finding a file through import.meta.url',
      'src/main/install/recipes.ts',
      "export const folder = new URL('../../../resources/recipes', import.meta.url);\n",
    ],
    [
      'shipped core code importing a test helper',
      'src/main/bench/x.ts',
      "import { createMemoryBridge } from '../../../test/support/memory-transport.ts';\nexport const y = createMemoryBridge;\n",
    ],
    [
      'the renderer importing its test fakes',
      'src/renderer/lib/x.ts',
      "import { FakeCore } from '../../../test/support/renderer/fake-core.ts';\nexport const y = FakeCore;\n",
    ],
    [
      'shared importing a test helper',
      'src/shared/x.ts',
      "import { value } from '../../test/support/test-workbench.ts';\nexport const y = value;\n",
    ],
  ])('refuses %s', async (_case, filePath, code) => {
    const ids = await ruleIdsFor(filePath, code);
    expect(ids.some((id) => id === 'no-restricted-imports' || id === 'no-restricted-syntax')).toBe(true);
  });

  it('allows what the architecture allows', async () => {
    expect(await ruleIdsFor('src/main/shell/ipc-adapter.ts', "import { ipcMain } from 'electron';\nexport const y = ipcMain;\n")).toEqual(
      [],
    );
    expect(
      await ruleIdsFor('src/renderer/lib/x.ts', "import { methods } from '../../shared/api.ts';\nexport const y = methods;\n"),
    ).toEqual([]);
    expect(await ruleIdsFor('src/main/app.ts', "import { join } from 'node:path';\nexport const y = join;\n")).toEqual([]);
    expect(
      await ruleIdsFor('src/main/shell/checkout-resources.ts', "export const folder = new URL('../../../resources', import.meta.url);\n"),
    ).toEqual([]);
    expect(
      await ruleIdsFor(
        'src/renderer/lib/x.test.ts',
        "import { FakeCore } from '../../../test/support/renderer/fake-core.ts';\nexport const y = FakeCore;\n",
      ),
    ).toEqual([]);
    expect(
      await ruleIdsFor('src/sim/x.ts', "import { boardKey } from '../shared/boards/board-ref.ts';\nexport const y = boardKey;\n"),
    ).toEqual([]);
  });
});
