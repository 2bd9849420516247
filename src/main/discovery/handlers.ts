/** `discovery.*`: boards found on USB, serial, `~/.ssh/config`, mDNS and the scans a person starts; the serial console's first login. */
import type { HandlersOf } from '../core/dispatcher.ts';
import type { DiscoveryService } from './service.ts';

export function discoveryHandlers(discovery: DiscoveryService): HandlersOf<'discovery'> {
  return {
    'discovery.list': () => discovery.list(),
    'discovery.scan': ({ range, ports }) => discovery.scan(range, ports),
    'discovery.stop': async () => ({ stopped: await discovery.stopScan() }),
    'discovery.addSerialPort': ({ path }) => discovery.addSerialPort(path),
    'discovery.interfaces': () => discovery.interfaces(),
    'discovery.browseMdns': ({ interface: address, seconds }) => discovery.browseMdns(address, seconds),
    'discovery.stopMdns': async () => ({ stopped: await discovery.stopMdns() }),
    'discovery.serialLogin': ({ path, user, password }) => discovery.serialLogin(path, user, password),
  };
}
