// Shows a problem's field errors beside their fields: each field named by the API has an input #<prefix>-<field> and
// an error line #<prefix>-<field>-error. Errors for fields the form does not have go to the form's own line.
export function showFieldErrors(form, prefix, error, formError) {
  for (const line of form.querySelectorAll('.field-error')) line.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const unplaced = [];
  for (const { field, reason } of error?.fieldErrors ?? []) {
    const name = field.replace(/\[\d+]$/, '');
    const line = form.querySelector(`#${prefix}-${name}-error`);
    if (line) {
      line.textContent = reason;
      form.querySelector(`#${prefix}-${name}`)?.setAttribute('aria-invalid', 'true');
    } else {
      unplaced.push(`${field}: ${reason}`);
    }
  }
  formError.textContent = error && (!error.fieldErrors?.length || unplaced.length) ? [error.message, ...unplaced].join(' — ') : '';
  form.querySelector('[aria-invalid]')?.focus();
}

/** A labelled field with its error line; the input must have id `${prefix}-${name}`. */
export function field(h, prefix, name, label, input, hint) {
  const describedBy = [hint ? `${prefix}-${name}-hint` : null, `${prefix}-${name}-error`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describedBy);
  return h('div', { class: `field field-${name}` },
    h('label', { for: `${prefix}-${name}` }, label), input,
    hint ? h('p', { class: 'hint', id: `${prefix}-${name}-hint` }, hint) : null,
    h('p', { class: 'field-error', id: `${prefix}-${name}-error` }));
}
