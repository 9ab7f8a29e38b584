/**
 * The payer's answer, as the payment page's buttons give it, through the simulator's API: resolves
 * to the payment's JSON once the simulator took it, throws with its problem document otherwise.
 */
export async function answerPayment(
  simulatorUrl: string,
  paymentId: string,
  answer: 'approve' | 'decline',
): Promise<{ id: string; status: string }> {
  const response = await fetch(`${simulatorUrl}/v1/payments/${encodeURIComponent(paymentId)}/${answer}`, {
    method: 'POST',
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (!response.ok)
    throw new Error(`${answer} ${paymentId}: the simulator answered ${response.status}: ${body}`);
  return JSON.parse(body) as { id: string; status: string };
}
