// Who the ticket is for, with which attributes, through which virtual proxy.
import { useId, useRef } from 'react';
import { useFocusFirstInvalid } from '../../components/focus-invalid';
import type { Profile } from '../../../../shared/profile';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { prefixLabel } from '../../format';
import { methodsFor, useTicketStore } from '../../stores/ticket-store';
import { AttributesEditor } from './AttributesEditor';
import { TargetAndPartition, targetIncomplete } from './OpenPanel';
import { OpenOutcome } from '../../components/OpenOutcome';
import { LOGIN_METHOD_LABELS, type LoginMethod } from '../../../../shared/login-as';
import { useShallow } from 'zustand/react/shallow';

function VirtualProxySelect({ profile }: { profile: Profile }) {
  const id = useId();
  const { form, setVirtualProxy } = useTicketStore(useShallow((s) => ({ form: s.form, setVirtualProxy: s.setVirtualProxy })));
  const options = profile.virtualProxies.map((vp) => ({
    prefix: vp.prefix,
    text: vp.description ? `${prefixLabel(vp.prefix)} — ${vp.description}` : prefixLabel(vp.prefix),
  }));
  // A profile not yet discovered still has its default to offer.
  if (!options.some((o) => o.prefix === form.virtualProxy)) options.unshift({ prefix: form.virtualProxy, text: prefixLabel(form.virtualProxy) });
  return (
    <div className="field">
      <label htmlFor={id}>Virtual proxy</label>
      <select id={id} value={form.virtualProxy} onChange={(e) => setVirtualProxy(profile, e.target.value)}>
        {options.map((o) => (
          <option key={o.prefix} value={o.prefix}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The methods the chosen virtual proxy takes (its QRS authenticationMethod), its own first. */
function MethodSelect({ profile }: { profile: Profile }) {
  const id = useId();
  const { form, setForm } = useTicketStore(useShallow((s) => ({ form: s.form, setForm: s.setForm })));
  const methods = methodsFor(profile, form.virtualProxy);
  return (
    <div className="field">
      <label htmlFor={id}>Login method</label>
      <select id={id} value={form.method} onChange={(e) => setForm({ method: e.target.value as LoginMethod })}>
        {methods.map((m) => (
          <option key={m} value={m}>
            {LOGIN_METHOD_LABELS[m]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TicketForm({ profile }: { profile: Profile }) {
  const { form, target, targetErrors, requesting, loggingIn, loggedIn, errors, setForm, request, loginAs } = useTicketStore(
    useShallow((s) => ({
      form: s.form,
      target: s.target,
      targetErrors: s.targetErrors,
      requesting: s.requesting,
      loggingIn: s.loggingIn,
      loggedIn: s.loggedIn,
      errors: s.errors,
      setForm: s.setForm,
      request: s.request,
      loginAs: s.loginAs,
    })),
  );
  // A ticket is requested first (then opened or copied); every other method logs in in one step.
  const oneStep = form.method !== 'ticket';
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, targetErrors);
  return (
    <form
      ref={formRef}
      onSubmit={(e) => {
        e.preventDefault();
        void (oneStep ? loginAs() : request());
      }}
    >
      <div className="grid-2">
        <Field label="User directory" value={form.userDirectory} onChange={(userDirectory) => setForm({ userDirectory })} required />
        <Field label="User id" value={form.userId} onChange={(userId) => setForm({ userId })} required />
      </div>
      <AttributesEditor />
      <div className="grid-2">
        <VirtualProxySelect profile={profile} />
        <MethodSelect profile={profile} />
      </div>
      {oneStep ? null : (
        <Field
          label="TargetId (optional)"
          value={form.targetId}
          onChange={(targetId) => setForm({ targetId })}
          hint="The id QPS gave a redirect target; empty for none."
        />
      )}
      <Field label="Reason (for the audit log)" value={form.reason} onChange={(reason) => setForm({ reason })} maxLength={500} />
      {oneStep ? (
        <fieldset>
          <legend>Open in a browser window</legend>
          <TargetAndPartition name="login" />
        </fieldset>
      ) : null}
      <div className="row">
        {oneStep ? (
          <button type="submit" className="primary" disabled={loggingIn || targetIncomplete(target)}>
            {loggingIn ? 'Logging in…' : 'Log in'}
          </button>
        ) : (
          <button type="submit" className="primary" disabled={requesting}>
            {requesting ? 'Requesting…' : 'Request ticket'}
          </button>
        )}
      </div>
      <ErrorNote error={oneStep ? errors.login : errors.request} />
      {oneStep && loggedIn ? <OpenOutcome result={loggedIn} /> : null}
    </form>
  );
}
