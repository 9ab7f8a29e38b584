import type { Payment } from './payment.ts';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The page a payer is sent to. Its buttons post forms to the API, which answers a form with a
 * redirect (to the merchant's return URL, or back here) rather than JSON.
 */
export function paymentPage(payment: Payment): string {
  // Intl knows each currency's minor unit (2 for EUR, 0 for JPY).
  const format = new Intl.NumberFormat('en', { style: 'currency', currency: payment.currency });
  const amount = format.format(payment.amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  const actions =
    payment.status === 'pending'
      ? `<form method="post" action="/v1/payments/${escape(payment.id)}/approve"><button type="submit" name="decision" value="approve">Approve</button></form>
    <form method="post" action="/v1/payments/${escape(payment.id)}/decline"><button type="submit" name="decision" value="decline">Decline</button></form>`
      : `<p>This payment is <strong id="status">${escape(payment.status)}</strong>.</p>`;
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Pay ${escape(amount)}</title></head>
  <body>
    <h1>Payment simulator</h1>
    <p>Pay <strong>${escape(amount)}</strong> for <code>${escape(payment.reference)}</code> (payment <code>${escape(payment.id)}</code>).</p>
    ${actions}
  </body>
</html>
`;
}
