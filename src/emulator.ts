// `stripe-sql/emulator`: the local Stripe emulator and its demo data, the same the command
// line's --demo queries, so a library user can try every table without a key. It listens on
// 127.0.0.1 only; nothing leaves the machine.
//
//   import { startEmulator } from 'stripe-sql/emulator';
//   const { url, apiKey, close } = await startEmulator();
//   const db = connect({ apiKey, baseUrl: url });
import { startEmulator as startServer, DEMO_API_KEY, type Emulator, type EmulatorOptions } from '../emulator/index.js';

export { DEMO_API_KEY };
export type { Emulator, EmulatorClock, EmulatorOptions, LoggedRequest, FaultSpec } from '../emulator/index.js';

export interface RunningEmulator extends Emulator {
  /** A test key the emulator accepts (any `sk_test_…` key without `invalid` in it works too). */
  apiKey: string;
}

/** Starts the emulator (seeded with the demo data unless `seed: false`) on a free port by default. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startServer(options);
  return { ...emulator, apiKey: DEMO_API_KEY };
}
