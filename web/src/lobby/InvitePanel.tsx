/** Inviting a colleague: one click makes a single-use link that creates an interviewer account. */
import { useState } from 'react'
import type { InviteCreated } from '../../../protocol/api.ts'
import { api } from '../api/apiClient.ts'
import { useAction } from '../ui/useAction.ts'
import { ErrorNotice } from '../ui/ErrorNotice.tsx'
import { CopyField } from '../ui/CopyField.tsx'
import { formatDate } from './InterviewList.tsx'

export function InvitePanel() {
  const [invite, setInvite] = useState<InviteCreated | null>(null)
  const create = useAction(async () => setInvite(await api.post<InviteCreated>('/api/invites')))
  return (
    <section className="panel" aria-labelledby="invite-heading">
      <div className="panel-head">
        <h2 id="invite-heading">Invite a colleague</h2>
      </div>
      <p className="muted small">The link lets one person create an interviewer account.</p>
      {invite === null ? null : (
        <div className="stack" data-testid="invite-created">
          <CopyField value={invite.url} label="Invite link" testId="copy-invite-link" />
          <div className="muted small">Expires {formatDate(invite.expiresAt)}</div>
        </div>
      )}
      <ErrorNotice error={create.error} />
      <button
        type="button"
        className="btn"
        data-testid="create-invite"
        disabled={create.pending}
        onClick={() => void create.run()}
      >
        {invite === null ? 'Create invite link' : 'Create another link'}
      </button>
    </section>
  )
}
