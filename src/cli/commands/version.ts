import { parseArgs } from 'node:util';
import { productInfo } from '../../main/product.ts';
import { writeJson, type CliCommand } from '../command.ts';

export const versionCommand: CliCommand = {
  name: 'version',
  usage: 'jwb version [--json]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
    const info = { name: productInfo.name, version: productInfo.version, node: process.versions.node };
    if (values.json) writeJson(io, info);
    else io.stdout.write(`${info.name} ${info.version} (Node ${info.node})\n`);
    return 0;
  },
};
