/** A room notice (protocol/realtime.ts RoomNotice) as the sentence everyone in the room reads. */
import { languageFacts } from '../../../protocol/languages.ts'
import type { RoomNotice } from '../../../protocol/realtime.ts'

export function describeNotice(notice: RoomNotice): string {
  switch (notice.type) {
    case 'locked':
      return notice.locked ? `${notice.by} locked the editor.` : `${notice.by} unlocked the editor.`
    case 'runsEnabled':
      return notice.enabled
        ? `${notice.by} allowed the candidate to run code.`
        : `${notice.by} stopped the candidate from running code.`
    case 'participantRemoved':
      return `${notice.by} removed ${notice.name} from the interview.`
    case 'languageSwitched':
      return `${notice.by} switched the language to ${languageFacts[notice.language].name}.`
  }
}
