/**
 * The version of the protocol a browser speaks on the realtime (socket.io) and collaboration
 * channels. The web app sends it on every connect: in the socket.io `auth` and as the collab
 * query parameter (both named `protocolVersion`). A missing or different version is refused with
 * `upgrade_required` before anything else is checked, so a tab left open across a deploy is told
 * to reload instead of failing in odd ways on event shapes it does not know.
 *
 * Bump it on any change an already-loaded page cannot speak: a renamed event, a new required
 * field, a changed meaning. Adding an optional field the old page ignores needs no bump.
 */

export const PROTOCOL_VERSION = 1

/** The socket.io `auth` field and the collab query parameter that carry the version. */
export const protocolVersionField = 'protocolVersion'

/** What a refused stale client is told (the `upgrade_required` error's message). */
export const upgradeRequiredMessage = 'Tandem was updated. Reload the page to continue.'
