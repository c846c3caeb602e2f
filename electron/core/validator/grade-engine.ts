// After the redirect back, the page the module returned the browser to opens the engine WebSocket, as a
// mashup or the hub does next: through this proxy, with the browser's cookie, its origin and the csrf
// token. The socket must be accepted and belong to the user the module claimed, and an app must open.
import { formatUser, sameUser, type UserRef } from '../../../shared/user';
import { errorReason } from '../error-text';
import type { EngineTab } from '../qlik/engine-rpc';
import { engineUserRef } from '../scenarios/engine-tab';
import { Findings, type Grade } from './grade';

export async function gradeEngineSocket(open: () => Promise<EngineTab>, claimed: UserRef, who: string, socketPath: string): Promise<Grade> {
  const started = Date.now();
  const findings = new Findings();
  let socket: EngineTab;
  try {
    socket = await open();
  } catch (err) {
    findings.fail(`the ${who}'s WebSocket to ${socketPath} did not open: ${errorReason(err)}`);
    return findings.grade('', Date.now() - started);
  }
  try {
    const user = (await socket.call(-1, 'GetAuthenticatedUser', [])).qReturn as string;
    findings.note(`WebSocket ${socketPath} with the ${who}'s cookie -> engine user ${user}`);
    const ref = engineUserRef(user);
    if (!ref || !sameUser(ref, claimed)) findings.fail(`the engine serves the socket as ${user}, the module claimed ${formatUser(claimed)}`);
    const docs = ((await socket.call(-1, 'GetDocList', [])).qDocList ?? []) as Array<{ qDocId: string; qTitle?: string }>;
    findings.note(`GetDocList -> ${docs.length} app(s)`);
    const first = docs[0];
    if (!first) findings.warn(`the socket works, but ${formatUser(claimed)} may open no app: check the security rules`);
    else {
      await socket.call(-1, 'OpenDoc', [first.qDocId]);
      findings.note(`OpenDoc ${first.qTitle ?? first.qDocId} -> opened`);
    }
  } catch (err) {
    findings.fail(`the engine refused a call on the ${who}'s WebSocket: ${errorReason(err)}`);
  } finally {
    await socket.close().catch(() => undefined);
  }
  return findings.grade(`the ${who}'s WebSocket works as ${formatUser(claimed)}: the engine opened an app for that user`, Date.now() - started);
}
