// Stripe's own Node SDK (the `stripe` devDependency, pinned to API 2024-04-10) pointed at an
// emulator: the oracle of the emulator tests, set up one way for all of them.
import Stripe from 'stripe';
import { DEMO_API_KEY, startEmulator, type Emulator, type StartOptions } from '../../emulator/index.js';

/** An emulator, and the SDK talking to it over plain HTTP, without retries or telemetry. */
export async function startWithSdk(options?: StartOptions): Promise<{ emulator: Emulator; stripe: Stripe }> {
  const emulator = await startEmulator(options);
  const stripe = new Stripe(DEMO_API_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  return { emulator, stripe };
}
