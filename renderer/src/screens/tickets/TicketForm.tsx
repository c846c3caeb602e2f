// Who the ticket is for, with which attributes, through which virtual proxy.
import { useId } from 'react';
import type { Profile } from '../../../../shared/profile';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { prefixLabel } from '../../format';
import { useTicketStore } from '../../stores/ticket-store';
import { AttributesEditor } from './AttributesEditor';
import { useShallow } from 'zustand/react/shallow';

function VirtualProxySelect({ profile }: { profile: Profile }) {
  const id = useId();
  const { form, setForm } = useTicketStore(useShallow((s) => ({ form: s.form, setForm: s.setForm })));
  const options = profile.virtualProxies.map((vp) => ({ prefix: vp.prefix, text: vp.description ? `${prefixLabel(vp.prefix)} — ${vp.description}` : prefixLabel(vp.prefix) }));
  // A profile not yet discovered still has its default to offer.
  if (!options.some((o) => o.prefix === form.virtualProxy)) options.unshift({ prefix: form.virtualProxy, text: prefixLabel(form.virtualProxy) });
  return (
    <div className="field">
      <label htmlFor={id}>Virtual proxy</label>
      <select id={id} value={form.virtualProxy} onChange={(e) => setForm({ virtualProxy: e.target.value })}>
        {options.map((o) => (
          <option key={o.prefix} value={o.prefix}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TicketForm({ profile }: { profile: Profile }) {
  const { form, requesting, errors, setForm, request } = useTicketStore(useShallow((s) => ({ form: s.form, requesting: s.requesting, errors: s.errors, setForm: s.setForm, request: s.request })));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void request();
      }}
    >
      <div className="grid-2">
        <Field label="User directory" value={form.userDirectory} onChange={(userDirectory) => setForm({ userDirectory })} required />
        <Field label="User id" value={form.userId} onChange={(userId) => setForm({ userId })} required />
      </div>
      <AttributesEditor />
      <div className="grid-2">
        <VirtualProxySelect profile={profile} />
        <Field label="TargetId (optional)" value={form.targetId} onChange={(targetId) => setForm({ targetId })} hint="The id QPS gave a redirect target; empty for none." />
      </div>
      <Field label="Reason (for the audit log)" value={form.reason} onChange={(reason) => setForm({ reason })} maxLength={500} />
      <div className="row">
        <button type="submit" className="primary" disabled={requesting}>
          {requesting ? 'Requesting…' : 'Request ticket'}
        </button>
      </div>
      <ErrorNote error={errors.request} />
    </form>
  );
}
