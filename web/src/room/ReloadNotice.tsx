/**
 * The banner a room shows when the server speaks another protocol version than this page (Tandem
 * was updated while the tab was open): both channels are shut, and the one way forward is a
 * reload. The editor stays below it, so whatever was typed and not yet shared can still be copied.
 */
export function ReloadNotice() {
  return (
    <div className="reload-notice" role="alert" data-testid="reload-notice">
      <span>
        <strong>Tandem was updated</strong> — reload the page to keep working. Anything typed since
        the update has not been shared; copy it first if you need it.
      </span>
      <button
        type="button"
        className="btn btn-primary btn-small"
        data-testid="reload-button"
        onClick={() => window.location.reload()}
      >
        Reload
      </button>
    </div>
  )
}
