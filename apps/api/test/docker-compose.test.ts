import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { envSchema } from '../src/config/env.schema.js';

// No Docker engine runs here, so the compose file is kept honest by reading it.
const root = new URL('../../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yaml', root), 'utf8')) as {
  services: Record<string, Record<string, unknown>>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');

/** `${NAME:-default}` as compose would expand it with NAME unset. */
const withDefaults = (value: string) => value.replace(/\$\{(\w+):-([^}]*)\}/g, (_m, _n, d: string) => d);

describe('docker-compose.yaml', () => {
  const { postgres, api } = compose.services as Record<string, Record<string, any>>;

  it('has a postgres and an api service, each with a health check (and the replicas profile beside)', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'api-replica', 'lb', 'postgres', 'redis']);
    expect(postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(api?.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:3000/health');
  });

  it('keeps PostgreSQL data in a named volume', () => {
    const [volume, path] = String(postgres?.volumes?.[0]).split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(path).toBe('/var/lib/postgresql/data');
  });

  it('builds the api from the Dockerfile and starts it only once PostgreSQL is healthy', () => {
    expect(api?.build).toBe('.');
    expect(api?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(dockerfile).toMatch(/CMD \["node", (?:"--[^"]+", )*"apps\/api\/dist\/main\.js"\]/);
    expect(dockerfile).toMatch(/EXPOSE 3000/);
  });

  it('publishes the port the api listens on', () => {
    expect(api?.environment.PORT).toBe('3000');
    expect(withDefaults(String(api?.ports?.[0]))).toBe('3000:3000');
  });

  it('points DATABASE_URL at the postgres service with its own user, password and database', () => {
    const url = new URL(withDefaults(api?.environment.DATABASE_URL));
    const env = postgres?.environment as Record<string, string>;
    expect(url.hostname).toBe('postgres');
    expect(url.port).toBe('5432');
    expect(url.username).toBe(env.POSTGRES_USER);
    expect(url.password).toBe(withDefaults(env.POSTGRES_PASSWORD as string));
    expect(url.pathname).toBe(`/${env.POSTGRES_DB}`);
  });

  it('passes only variables the service knows, each valid with its default', () => {
    const env = Object.fromEntries(
      Object.entries(api?.environment as Record<string, string>).map(([k, v]) => [k, withDefaults(v)]),
    );
    const known = Object.keys(envSchema.shape);
    for (const name of Object.keys(env)) expect(known).toContain(name);
    expect(envSchema.safeParse(env).success).toBe(true);
  });

  describe('the replicas profile', () => {
    const { redis, lb } = compose.services as Record<string, Record<string, any>>;
    const replica = compose.services['api-replica'] as Record<string, any>;
    const nginx = readFileSync(new URL('deploy/nginx-replicas.conf', root), 'utf8');

    it('runs three api replicas on Redis and PostgreSQL, only in that profile', () => {
      for (const service of [redis, replica, lb]) expect(service?.profiles).toEqual(['replicas']);
      expect(api?.profiles).toBeUndefined();
      expect(replica?.deploy?.replicas).toBe(3);
      expect(replica?.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(Object.keys(replica?.depends_on ?? {}).sort()).toEqual(['postgres', 'redis']);
      expect(replica?.ports).toBeUndefined();
      expect(replica?.healthcheck?.test).toEqual(api?.healthcheck?.test);
    });

    it("gives the replicas the api's settings, each known and valid", () => {
      const env = Object.fromEntries(
        Object.entries(replica?.environment as Record<string, string>).map(([k, v]) => [k, withDefaults(v)]),
      );
      expect(Object.keys(env).sort()).toEqual(Object.keys(api?.environment ?? {}).sort());
      expect(envSchema.safeParse(env).success).toBe(true);
    });

    it('balances them with nginx, streams unbuffered', () => {
      expect(lb?.volumes).toEqual(['./deploy/nginx-replicas.conf:/etc/nginx/nginx.conf:ro']);
      expect(String(lb?.ports?.[0])).toMatch(/:8080$/);
      expect(nginx).toMatch(/server api-replica:3000/);
      expect(nginx).toMatch(/listen 8080;/);
      expect(nginx).toMatch(/proxy_buffering off;/);
      expect(nginx).toMatch(/proxy_http_version 1\.1;/);
    });
  });
});
