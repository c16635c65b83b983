import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../server/config.ts'

describe('settings', () => {
  it('have defaults that run Tandem on one machine', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 3000,
      logLevel: 'info',
      docFlushMs: 200,
      unsafeAllowUnsandboxed: false,
    })
    expect(config.dataDir).toMatch(/\/data$/)
  })

  it('name the variable when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ DOC_FLUSH_MS: '5000' })).toThrow(/DOC_FLUSH_MS/)
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/)
    expect(() => loadConfig({ TANDEM_UNSAFE_ALLOW_UNSANDBOXED: 'yes please' })).toThrow(
      /TANDEM_UNSAFE_ALLOW_UNSANDBOXED/,
    )
  })

  it('trust no proxy unless TRUST_PROXY names one (loopback used to be trusted by default)', () => {
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1)
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::1',
    ])
  })

  it('refuse a TRUST_PROXY that would trust every client, or is not an address', () => {
    for (const bad of ['true', '*', '99', '10.0.0.0/33', 'proxy.example', '1.2.3']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/)
    }
  })

  it('keep webhooks off private addresses unless TANDEM_WEBHOOK_ALLOW_PRIVATE allows them', () => {
    expect(loadConfig({}).webhookAllowPrivate).toBe(false)
    expect(loadConfig({ TANDEM_WEBHOOK_ALLOW_PRIVATE: '0' }).webhookAllowPrivate).toBe(false)
    expect(loadConfig({ TANDEM_WEBHOOK_ALLOW_PRIVATE: '1' }).webhookAllowPrivate).toBe(true)
    expect(
      loadConfig({ TANDEM_WEBHOOK_ALLOW_PRIVATE: '10.20.0.0/16, fd00::/8,192.168.1.5' })
        .webhookAllowPrivate,
    ).toEqual(['10.20.0.0/16', 'fd00::/8', '192.168.1.5'])
    for (const bad of ['yes', 'loopback', '10.0.0.0/33', 'ats.internal']) {
      expect(() => loadConfig({ TANDEM_WEBHOOK_ALLOW_PRIVATE: bad }), bad).toThrow(
        /TANDEM_WEBHOOK_ALLOW_PRIVATE/,
      )
    }
  })

  it('take a webhook retry schedule of delays in ms, five attempts over minutes by default', () => {
    expect(loadConfig({}).webhookRetryScheduleMs).toEqual([0, 5000, 30000, 120000, 600000])
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: '0, 10,20' }).webhookRetryScheduleMs).toEqual([
      0, 10, 20,
    ])
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: '' }).webhookRetryScheduleMs).toHaveLength(5)
    for (const bad of ['soon', '0,-5', '0,1.5', '0,,5']) {
      expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: bad }), bad).toThrow(
        /WEBHOOK_RETRY_SCHEDULE_MS/,
      )
    }
  })

  it('stop the server at startup with that message, before anything listens', () => {
    const result = spawnSync(process.execPath, ['server/main.ts'], {
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/Invalid settings:\n\s+PORT:/)
  })
})
