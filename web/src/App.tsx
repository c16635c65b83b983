/** Picks the page for the current path. */
import { JoinPage } from './join/JoinPage.tsx'
import { AcceptInvitePage } from './lobby/AcceptInvitePage.tsx'
import { LobbyPage } from './lobby/LobbyPage.tsx'
import { ReportPage } from './report/ReportPage.tsx'
import { InterviewerRoomPage } from './room/InterviewerRoomPage.tsx'
import type { Route } from './router/parseRoute.ts'
import { useRoute } from './router/useRoute.ts'
import { ErrorBoundary } from './ui/ErrorBoundary.tsx'
import { StatusPage } from './ui/StatusPage.tsx'

export function App() {
  const route = useRoute()
  return <ErrorBoundary title="Something went wrong">{renderPage(route)}</ErrorBoundary>
}

function renderPage(route: Route) {
  switch (route.name) {
    case 'lobby':
      return <LobbyPage />
    case 'invite':
      return <AcceptInvitePage key={route.token} token={route.token} />
    case 'join':
      return <JoinPage key={route.token} token={route.token} />
    case 'room':
      return <InterviewerRoomPage key={route.interviewId} interviewId={route.interviewId} />
    case 'report':
      return <ReportPage key={route.interviewId} interviewId={route.interviewId} />
    case 'notFound':
      return (
        <StatusPage
          title="Page not found"
          message={`There is nothing at ${route.path}.`}
          testId="not-found"
        />
      )
  }
}
