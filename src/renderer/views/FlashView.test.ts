import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import { alwaysConnected } from '../lib/connection.ts';
import { FakeCore } from '../../../test/support/renderer/fake-core.ts';
import { sampleJob } from '../../../test/support/renderer/fake-flash.ts';

function requests(core: FakeCore, method: string) {
  return core.requests.filter((request) => request.method === method).map((request) => request.input);
}

function openFlash(core: FakeCore): void {
  history.replaceState(null, '', '/#/flash');
  render(App, { props: { bridge: core.connect(), connection: alwaysConnected() } });
}

beforeEach(() => {
  history.replaceState(null, '', '/');
  Element.prototype.scrollIntoView = vi.fn();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('FlashView, SD card', () => {
  it('comes right after Boards, hides the system drive and writes the image to the drive chosen, with its size', async () => {
    const core = new FakeCore();
    openFlash(core);
    const labels = within(screen.getByRole('navigation', { name: 'Views' }))
      .getAllByRole('link')
      .map((link) => link.textContent?.trim());
    expect(labels.indexOf('Flash')).toBe(labels.indexOf('Boards') + 1);

    const card = await screen.findByRole('radio', { name: /SanDisk Ultra/ });
    expect(screen.queryByRole('radio', { name: /Samsung SSD 980/ })).toBeNull();
    expect(screen.getByText('1 system drives hidden: they cannot be written.')).toBeTruthy();
    expect(screen.getByText('mounted at /media/student/boot: unmounted before writing')).toBeTruthy();

    const flashButton = screen.getByRole('button', { name: /^Flash / });
    expect((flashButton as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByRole('textbox', { name: 'Image file or address' }), {
      target: { value: '/home/student/jp5.img.xz' },
    });
    await fireEvent.click(card);
    await screen.findByText('Everything on SanDisk Ultra (/dev/sdb) is erased.');
    await fireEvent.click(screen.getByRole('button', { name: 'Flash /dev/sdb' }));
    expect(requests(core, 'flash.sd.start')).toEqual([
      {
        image: '/home/student/jp5.img.xz',
        device: '/dev/sdb',
        expectedSize: 63_864_569_856,
        confirmLarge: false,
        firmwareAcknowledged: false,
        includeVirtual: false,
      },
    ]);
  });

  it('needs a confirmation for a drive over 128 GB', async () => {
    const core = new FakeCore();
    openFlash(core);
    await fireEvent.input(await screen.findByRole('textbox', { name: 'Image file or address' }), { target: { value: '/img/jp5.img' } });
    await fireEvent.click(await screen.findByRole('radio', { name: /WD Elements/ }));
    const flashButton = screen.getByRole('button', { name: 'Flash /dev/sdc' }) as HTMLButtonElement;
    expect(flashButton.disabled).toBe(true);
    await fireEvent.click(screen.getByRole('checkbox', { name: 'I am sure: erase WD Elements (/dev/sdc)' }));
    expect(flashButton.disabled).toBe(false);
  });

  it('warns about the Orin Nano firmware before a JetPack 6 image, and needs it acknowledged', async () => {
    const core = new FakeCore();
    openFlash(core);
    await fireEvent.input(await screen.findByRole('textbox', { name: 'Image file or address' }), {
      target: { value: '/img/jp62-orin-nano-sd-card-image.zip' },
    });
    await fireEvent.click(await screen.findByRole('radio', { name: /SanDisk Ultra/ }));
    expect(screen.getByRole('heading', { name: 'Update the Orin Nano’s firmware first' })).toBeTruthy();
    expect(screen.getByText(/5\.1\.3/)).toBeTruthy();
    const flashButton = screen.getByRole('button', { name: 'Flash /dev/sdb' }) as HTMLButtonElement;
    expect(flashButton.disabled).toBe(true);
    await fireEvent.click(screen.getByRole('checkbox', { name: /firmware is up to date/ }));
    expect(flashButton.disabled).toBe(false);
  });

  it('sends the first boot with the workbench key, and clears the passwords once sent', async () => {
    const core = new FakeCore();
    openFlash(core);
    await fireEvent.input(await screen.findByRole('textbox', { name: 'Image file or address' }), { target: { value: '/img/jp5.img' } });
    await fireEvent.click(await screen.findByRole('radio', { name: /SanDisk Ultra/ }));
    await fireEvent.click(screen.getByRole('checkbox', { name: /Pre-configure the first boot/ }));
    await screen.findByText('Key SHA256:fakefingerprint');
    await fireEvent.input(screen.getByRole('textbox', { name: 'User name' }), { target: { value: 'student' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'lab-pass-1' } });
    await fireEvent.input(screen.getByRole('textbox', { name: 'Board name (hostname)' }), { target: { value: 'lab-board-7' } });
    await fireEvent.click(screen.getByRole('checkbox', { name: /I accept NVIDIA/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Flash /dev/sdb' }));
    await vi.waitFor(() => expect(requests(core, 'flash.sd.start')).toHaveLength(1));
    expect(requests(core, 'flash.sd.start')[0]).toMatchObject({
      firstBoot: {
        user: 'student',
        password: 'lab-pass-1',
        hostname: 'lab-board-7',
        sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKey workbench',
        acceptLicense: true,
      },
    });
    await vi.waitFor(() => expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe(''));
  });

  it('follows the flash: speed and time left, then the failure with its cause and what to do', async () => {
    const core = new FakeCore();
    openFlash(core);
    await screen.findByRole('radio', { name: /SanDisk Ultra/ });
    core.flash.progress(sampleJob(), ['writing']);
    await screen.findByText('Writing');
    expect(screen.getByText('40 MB/s')).toBeTruthy();
    expect(screen.getByText('1 min 15 s left')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(requests(core, 'flash.cancel')).toEqual([{ flashId: 'flash-1' }]);
    core.flash.progress(
      sampleJob({
        phase: 'failed',
        endedAt: Date.UTC(2026, 11, 2, 9, 2, 0),
        outcome: {
          ok: false,
          summary: 'The drive disappeared during the write.',
          cause: 'It was unplugged or the reader failed.',
          advice: 'Plug it back in and flash again.',
        },
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The drive disappeared during the write.');
    expect(alert.textContent).toContain('Plug it back in and flash again.');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });
});

describe('FlashView, recovery mode', () => {
  it('shows the buttons to press, sees the board on USB, checks the host and names what is missing', async () => {
    const core = new FakeCore();
    openFlash(core);
    await fireEvent.click(await screen.findByRole('tab', { name: 'Recovery mode (USB)' }));
    await fireEvent.change(await screen.findByRole('combobox', { name: 'Developer kit' }), { target: { value: 'agx-orin' } });
    expect(screen.getByText('Hold the middle (Force Recovery) button and plug in the power.')).toBeTruthy();
    expect(screen.getByText('Waiting for the board on USB (NVIDIA 0955:7023, 7223)…')).toBeTruthy();
    core.discovery.state = {
      boards: [
        {
          id: 'usb:1-3',
          label: 'Jetson AGX Orin (recovery)',
          module: 'Jetson AGX Orin',
          ports: [
            {
              key: 'usb-recovery:1-3',
              protocol: 'usb-recovery',
              address: '1-3',
              label: 'APX',
              properties: { vid: '0955', pid: '7023' },
              module: 'Jetson AGX Orin',
              source: 'usb',
            },
          ],
        },
      ],
      scan: null,
      mdns: null,
    };
    core.emit('discovery.onDidChange', core.discovery.state);
    await screen.findByText(/Seen in recovery mode: Jetson AGX Orin \(USB 1-3\)/);
    await fireEvent.input(screen.getByRole('textbox', { name: 'Linux_for_Tegra folder' }), {
      target: { value: '/home/student/L4T/Linux_for_Tegra' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Check this computer' }));
    await screen.findByText('sudo apt-get install sshpass');
    expect((screen.getByRole('button', { name: 'Flash the board' }) as HTMLButtonElement).disabled).toBe(true);
    expect(requests(core, 'flash.recovery.check')).toEqual([
      { l4tDir: '/home/student/L4T/Linux_for_Tegra', devkit: 'agx-orin', storage: 'emmc' },
    ]);
  });
});

describe('FlashView, first boot over the console', () => {
  it('shows each oem-config question, answers it, then logs in and reads the address', async () => {
    const core = new FakeCore();
    core.flash.questions = [
      { title: 'Who are you?', question: 'Pick a username: ', secret: false },
      { title: 'Who are you?', question: 'Choose a password: ', secret: true },
    ];
    openFlash(core);
    await fireEvent.click(await screen.findByRole('tab', { name: 'First boot over the serial console' }));
    await fireEvent.input(screen.getByRole('combobox', { name: 'Serial console' }), { target: { value: '/dev/ttyACM0' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Open the console' }));
    const answer = await screen.findByRole('textbox', { name: /Pick a username/ });
    await fireEvent.input(answer, { target: { value: 'student' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const secret = (await screen.findByLabelText(/Choose a password/)) as HTMLInputElement;
    expect(secret.type).toBe('password');
    await fireEvent.input(secret, { target: { value: 'lab-pass-1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByText(/The setup is finished/);
    expect(requests(core, 'flash.console.answer')).toEqual([
      { sessionId: 'console-1', answer: 'student' },
      { sessionId: 'console-1', answer: 'lab-pass-1' },
    ]);
    await fireEvent.input(screen.getByRole('textbox', { name: 'User name' }), { target: { value: 'student' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'lab-pass-1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await screen.findByText('lab-board-7 is set up: addresses 127.0.0.9.');
  });
});
