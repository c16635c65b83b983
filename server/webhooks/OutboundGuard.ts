/**
 * Where outbound requests (webhooks) may go: a server-side request forgery guard. A URL's host is
 * resolved once, every address it resolves to is checked, and the request then connects to the
 * checked address (`pinnedLookup`), so a name that answers a public address to the check and
 * 127.0.0.1 to the connection (DNS rebinding) cannot slip through.
 *
 * Refused unless the operator allows them (config TANDEM_WEBHOOK_ALLOW_PRIVATE): loopback,
 * "this network" (0/8), RFC 1918, CGNAT (100.64/10), link-local (169.254/16, where the cloud
 * metadata service answers), the IETF and documentation ranges, multicast and reserved space;
 * IPv6 loopback and unspecified, unique-local (fc00::/7), link-local (fe80::/10), site-local,
 * multicast and documentation; and IPv4 addresses embedded in IPv6 (mapped `::ffff:a.b.c.d`,
 * compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) judged as the IPv4 they carry.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import { TandemError } from '../errors.ts'

/** A range refused by default, and the words that name it in a refusal. */
const forbiddenV4: readonly [string, number, string][] = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'link-local, where cloud metadata answers (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'private (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'documentation (192.0.2.0/24)'],
  ['192.88.99.0', 24, '6to4 relay anycast (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'private (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'documentation (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'documentation (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'multicast (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'reserved or broadcast (240.0.0.0/4)'],
]
const forbiddenV6: readonly [string, number, string][] = [
  ['::', 128, 'unspecified (::)'],
  ['::1', 128, 'loopback (::1)'],
  ['64:ff9b:1::', 48, 'local NAT64 (64:ff9b:1::/48)'],
  ['100::', 64, 'discard (100::/64)'],
  ['2001:db8::', 32, 'documentation (2001:db8::/32)'],
  ['fc00::', 7, 'unique-local (fc00::/7)'],
  ['fe80::', 10, 'link-local (fe80::/10)'],
  ['fec0::', 10, 'site-local (fec0::/10)'],
  ['ff00::', 8, 'multicast (ff00::/8)'],
]

interface Range {
  list: BlockList
  name: string
}

function rangesOf(entries: readonly [string, number, string][], family: 'ipv4' | 'ipv6'): Range[] {
  return entries.map(([network, prefix, name]) => {
    const list = new BlockList()
    list.addSubnet(network, prefix, family)
    return { list, name }
  })
}
const rangesV4 = rangesOf(forbiddenV4, 'ipv4')
const rangesV6 = rangesOf(forbiddenV6, 'ipv6')

/** The eight 16-bit groups of an IPv6 address (which `isIP` already accepted). */
function groupsOf(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '')
  // A trailing dotted quad (`::ffff:127.0.0.1`) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (quad !== null) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((group) => parseInt(group, 16))
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  const zeros = new Array<number>(8 - left.length - right.length).fill(0)
  return [...left, ...zeros, ...right]
}

const quadOf = (high: number, low: number): string =>
  [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')

/**
 * The IPv4 address an IPv6 address carries, when it is one of the forms that reach it: mapped
 * (`::ffff:0:0/96`), compatible (`::/96`, deprecated, but stacks still route it), NAT64
 * (`64:ff9b::/96`) and 6to4 (`2002::/16`). Null for any other IPv6 address.
 */
export function embeddedIPv4(address: string): string | null {
  const g = groupsOf(address)
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = g
  const zeroTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0)
  if (zeroTo(5) && g5 === 0xffff) return quadOf(g6, g7)
  // `::` and `::1` are IPv6's own; anything else in ::/96 is IPv4-compatible.
  if (zeroTo(6) && (g6 !== 0 || g7 > 1)) return quadOf(g6, g7)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return quadOf(g6, g7)
  if (g0 === 0x2002) return quadOf(g1 ?? 0, g2 ?? 0)
  return null
}

/**
 * Why an address is off-limits by default, e.g. `loopback (127.0.0.0/8)`, or null for a public
 * one. An embedded IPv4 address is judged as itself (`IPv4-mapped loopback (…)`).
 */
export function forbiddenRange(address: string): string | null {
  const family = isIP(address)
  if (family === 4) return rangesV4.find((r) => r.list.check(address, 'ipv4'))?.name ?? null
  if (family !== 6) return 'not an IP address'
  const embedded = embeddedIPv4(address)
  if (embedded !== null) {
    const range = forbiddenRange(embedded)
    return range === null ? null : `IPv4-in-IPv6 ${range}`
  }
  return rangesV6.find((r) => r.list.check(address, 'ipv6'))?.name ?? null
}

/** An address a request may connect to, as checked. */
export interface CheckedAddress {
  address: string
  family: 4 | 6
}

export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>

const systemResolve: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, order: 'verbatim' }, (error, addresses) => {
      if (error === null) resolve(addresses)
      else reject(error)
    })
  })

export interface OutboundGuardOptions {
  /** False: no private address; true: every one; a list: these addresses and subnets only. */
  allowPrivate: boolean | readonly string[]
  /** Resolves host names; default the system resolver (dns.lookup, as a connection would). */
  resolve?: ResolveHost
}

export class OutboundGuard {
  readonly #allowAll: boolean
  readonly #allowed: BlockList
  readonly #resolve: ResolveHost

  constructor(options: OutboundGuardOptions) {
    this.#allowAll = options.allowPrivate === true
    this.#allowed = new BlockList()
    for (const entry of options.allowPrivate === true || options.allowPrivate === false
      ? []
      : options.allowPrivate) {
      const [network = '', prefix] = entry.split('/')
      const family = isIP(network) === 6 ? 'ipv6' : 'ipv4'
      if (prefix === undefined) this.#allowed.addAddress(network, family)
      else this.#allowed.addSubnet(network, Number(prefix), family)
    }
    this.#resolve = options.resolve ?? systemResolve
  }

  /** Why this address may not be reached, or null when it may. */
  refusal(address: string): string | null {
    const range = forbiddenRange(address)
    if (range === null || this.#allowAll) return null
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4'
    const embedded = family === 'ipv6' ? embeddedIPv4(address) : null
    const allowed =
      this.#allowed.check(address, family) ||
      (embedded !== null && this.#allowed.check(embedded, 'ipv4'))
    return allowed ? null : range
  }

  /**
   * Resolves `hostname` (a URL's, brackets and all) and checks every address it has: one
   * forbidden address refuses the lot, since a connection could land on any of them. Throws a
   * bad_request TandemError that says which address and why; answers the address to connect to.
   */
  async check(hostname: string): Promise<CheckedAddress> {
    const host = hostname.replace(/^\[(.*)\]$/, '$1')
    let addresses: LookupAddress[]
    try {
      addresses =
        isIP(host) === 0 ? await this.#resolve(host) : [{ address: host, family: isIP(host) }]
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'no answer'
      throw new TandemError('bad_request', `Could not resolve ${host} (${code}).`)
    }
    for (const { address } of addresses) {
      const refusal = this.refusal(address)
      if (refusal !== null) {
        const via = address === host ? '' : ` (${host} resolves to it)`
        throw new TandemError(
          'bad_request',
          `Webhooks may not reach ${address}${via}: it is ${refusal}. The operator can allow private addresses with TANDEM_WEBHOOK_ALLOW_PRIVATE.`,
          { issues: [{ path: 'url', message: `${address} is ${refusal}` }] },
        )
      }
    }
    const first = addresses[0]
    if (first === undefined) throw new TandemError('bad_request', `${host} has no address.`)
    return { address: first.address, family: first.family === 6 ? 6 : 4 }
  }
}

/**
 * A `lookup` for http.request that answers the checked address whatever name it is asked for,
 * so the connection goes where the check looked (and never asks DNS again).
 */
export function pinnedLookup(checked: CheckedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // With autoSelectFamily (Node's default) net asks for every address at once.
    if (options.all === true) {
      ;(callback as unknown as (e: null, all: LookupAddress[]) => void)(null, [checked])
    } else {
      callback(null, checked.address, checked.family)
    }
  }
}
