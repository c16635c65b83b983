/**
 * The events a webhook endpoint can subscribe to, apart from protocol/webhooks.ts's schemas: the
 * web app imports this list, and a value import from a module whose schemas extend one another
 * (`.extend`, which the bundler cannot tell is pure) would bring all of zod into the page
 * (tests/browser/bundle.test.ts).
 */
export const webhookEventTypes = ['interview.ended', 'report.ready', 'scorecard.submitted'] as const
