// @vitest-environment happy-dom
// The ticket flow's sequence diagram: one arrow per step between the right lifelines, the times on
// the arrows, a failed step drawn as failed, and the same steps as the picture's description and table.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SequenceDiagram } from '../../renderer/src/components/SequenceDiagram';
import { StepList } from '../../renderer/src/screens/trust/StepList';
import { openFlow, trustTicketFlow } from '../../shared/ticket-flow';

const lifeline = (svg: Element, name: string): number => {
  const label = [...svg.querySelectorAll('.flow-lane text')].find((t) => t.textContent === name)!;
  return Number(label.getAttribute('x'));
};

describe('sequence diagram', () => {
  afterEach(cleanup);
  const established = openFlow({
    prefix: 'ticket',
    issueMs: 12,
    redeemMs: 340,
    status: 200,
    cookieName: 'X-Qlik-Session-ticket',
    checkMs: 9,
    user: 'DEMO\\alice',
    established: true,
  });

  it('draws each step as an arrow between its two lifelines, with its time', () => {
    render(<SequenceDiagram title="Ticket flow on /ticket" steps={established} />);
    const svg = screen.getByRole('img', { name: /^Ticket flow on \/ticket/ });
    const arrows = [...svg.querySelectorAll('.flow-step')];
    expect(arrows).toHaveLength(6);
    const [issue, , redeem] = arrows;
    expect(issue!.textContent).toBe('1. POST /qps/ticket/ticket · 12 ms');
    // From the module's lifeline to QPS's (the arrow head stops just short of the line).
    const line = issue!.querySelector('line')!;
    expect(Number(line.getAttribute('x1'))).toBe(lifeline(svg, 'Authentication module'));
    expect(Math.abs(Number(line.getAttribute('x2')) - lifeline(svg, 'QPS'))).toBeLessThanOrEqual(4);
    expect(redeem!.textContent).toBe('3. GET /ticket/hub/?qlikTicket=… · 340 ms');
    expect(arrows.some((a) => a.classList.contains('flow-failed'))).toBe(false);
  });

  it('says every step in its description and in a table', () => {
    render(<SequenceDiagram title="Ticket flow on /ticket" steps={established} />);
    const svg = screen.getByRole('img', { name: /^Ticket flow on \/ticket/ });
    const desc = svg.querySelector('desc')!.textContent!;
    expect(desc).toContain('1. Authentication module → QPS: POST /qps/ticket/ticket (12 ms)');
    expect(desc).toContain('4. Proxy → QPS: validate the ticket (one use) (inside the GET)');
    const rows = within(screen.getByRole('table', { name: 'Ticket flow on /ticket' }))
      .getAllByRole('row')
      .slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['1', 'Authentication module', 'QPS', 'POST /qps/ticket/ticket', '12 ms'],
      ['2', 'Authentication module', 'Browser', 'redirect with ?qlikTicket=', '—'],
      ['3', 'Browser', 'Proxy', 'GET /ticket/hub/?qlikTicket=…', '340 ms'],
      ['4', 'Proxy', 'QPS', 'validate the ticket (one use)', 'inside the GET'],
      ['5', 'Proxy', 'Browser', '200 + Set-Cookie X-Qlik-Session-ticket', 'inside the GET'],
      ['6', 'Browser', 'Proxy', 'GET /ticket/qps/user → DEMO\\alice', '9 ms'],
    ]);
  });

  it('draws the step where a refused ticket broke the flow as failed', () => {
    const refused = openFlow({ prefix: '', redeemMs: 80, status: 403, established: false });
    render(<SequenceDiagram title="Ticket flow on the default virtual proxy" steps={refused} />);
    const arrows = [...screen.getByRole('img').querySelectorAll('.flow-step')];
    expect(arrows.map((a) => a.classList.contains('flow-failed'))).toEqual([false, false, true, false, true]);
    expect(arrows[0]!.textContent).toBe('1. POST /qps/ticket');
    expect(arrows[4]!.textContent).toBe('5. 403, no session cookie');
    expect(screen.getByRole('img').querySelector('desc')!.textContent).toContain('3. Browser → Proxy: GET /hub/?qlikTicket=… (80 ms) — failed');
  });

  it("folds the trust check's test ticket flow under its step, each stage with the time it took", () => {
    const flow = trustTicketFlow({
      prefix: 'ticket',
      cookieName: 'X-Qlik-Session-ticket',
      issueMs: 14,
      redeemMs: 220,
      status: 200,
      cookieSet: true,
      lookupMs: 6,
      user: 'DEMO\\alice',
      endMs: 5,
    });
    render(<StepList running={false} steps={[{ id: 'ticket', title: 'A test ticket redeemed, its session ended', status: 'pass', ms: 250, flow }]} />);
    const fold = screen.getByText('Test ticket flow as a sequence diagram').closest('details')!;
    expect(fold.open).toBe(false);
    const arrows = [
      ...within(fold)
        .getByRole('img', { name: /^Test ticket flow/ })
        .querySelectorAll('.flow-step'),
    ].map((a) => a.textContent);
    expect(arrows).toEqual([
      '1. POST /qps/ticket/ticket · 14 ms',
      '2. redirect with ?qlikTicket=',
      '3. GET /ticket/hub/?qlikTicket=… · 220 ms',
      '4. validate the ticket (one use)',
      '5. 200 + Set-Cookie X-Qlik-Session-ticket',
      '6. GET /qps/ticket/session/… → DEMO\\alice · 6 ms',
      '7. DELETE /qps/ticket/session/… · 5 ms',
    ]);
  });

  it('stops the test ticket flow where it broke, that stage drawn as failed', () => {
    const issue = trustTicketFlow({ prefix: '', cookieName: 'X-Qlik-Session', failedAt: 'issue' });
    expect(issue.map((s) => [s.label, s.failed])).toEqual([['POST /qps/ticket', true]]);
    const noCookie = trustTicketFlow({ prefix: '', cookieName: 'X-Qlik-Session', issueMs: 3, redeemMs: 40, status: 200, cookieSet: false });
    render(<StepList running={false} steps={[{ id: 'ticket', title: 'A test ticket', status: 'fail', flow: noCookie }]} />);
    expect(screen.getByText('Test ticket flow as a sequence diagram (where it broke)')).toBeTruthy();
    const arrows = [...screen.getByRole('img').querySelectorAll('.flow-step')];
    expect(arrows.map((a) => a.classList.contains('flow-failed'))).toEqual([false, false, false, false, true]);
    expect(arrows[4]!.textContent).toBe('5. 200, no X-Qlik-Session cookie');
  });
});
