// A throwaway PostgreSQL cluster owned by the test run: initdb into a temp directory, started
// with pg_ctl on a free loopback port, stopped and removed at the end. initdb and postgres refuse
// to run as root, so as root they run as `nobody` (runuser). Binaries missing is a failure, not
// a skip: CI installs Debian's postgresql (.ci/run).
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresCluster {
  /** postgres://… of a new, empty database in the cluster. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

/** The directory holding initdb and pg_ctl: PATH's, else Debian's /usr/lib/postgresql/N/bin. */
function binaries(): string {
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length > 0) return join(debian, versions[0]!, 'bin');
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    if (initdb) return initdb.replace(/\/initdb$/, '');
  } catch {
    // not on PATH either
  }
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian\'s postgresql package (.ci/run does)');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = binaries();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'stripe-sql-pg-'));
  const data = join(dir, 'data');
  // As root: the cluster belongs to nobody, who must be able to write the directory.
  const nobody = root ? Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim()) : undefined;
  const nogroup = root ? Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim()) : undefined;
  if (root) chownSync(dir, nobody!, nogroup!);
  const run = (program: string, args: string[]) =>
    root ? execFileSync('runuser', ['-u', 'nobody', '--', join(bin, program), ...args], { stdio: 'pipe', cwd: dir }) : execFileSync(join(bin, program), args, { stdio: 'pipe', cwd: dir });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  // -w: pg_ctl returns once the server accepts connections.
  run('pg_ctl', ['-D', data, '-w', '-s', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-w', '-s', '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
