// Ticket attributes as rows: a name may repeat (group=a, group=b) and a value may be empty, as QPS
// allows; each row is sent exactly as typed.
import { useTicketStore } from '../../stores/ticket-store';
import { useShallow } from 'zustand/react/shallow';

export function AttributesEditor() {
  const { form, addAttribute, updateAttribute, removeAttribute } = useTicketStore(
    useShallow((s) => ({ form: s.form, addAttribute: s.addAttribute, updateAttribute: s.updateAttribute, removeAttribute: s.removeAttribute })),
  );
  return (
    <fieldset className="attributes">
      <legend>Attributes</legend>
      {form.attributes.length === 0 ? <p className="muted">No attributes. Groups and other claims go here.</p> : null}
      <ul>
        {form.attributes.map((row, index) => {
          const n = index + 1;
          return (
            <li key={row.rowId} className="attribute-row">
              <label className="visually-hidden" htmlFor={`attr-key-${row.rowId}`}>
                Attribute {n} name
              </label>
              <input
                id={`attr-key-${row.rowId}`}
                placeholder="name"
                value={row.key}
                spellCheck={false}
                onChange={(e) => updateAttribute(row.rowId, { key: e.target.value })}
              />
              <label className="visually-hidden" htmlFor={`attr-value-${row.rowId}`}>
                Attribute {n} value
              </label>
              <input
                id={`attr-value-${row.rowId}`}
                placeholder="value (may be empty)"
                value={row.value}
                spellCheck={false}
                onChange={(e) => updateAttribute(row.rowId, { value: e.target.value })}
              />
              <button type="button" onClick={() => removeAttribute(row.rowId)} aria-label={`Remove attribute ${n}`}>
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={addAttribute}>
        Add attribute
      </button>
    </fieldset>
  );
}
