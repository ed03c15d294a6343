// The filer signs its application through the local signing agent (数字证书助手) on its own computer: the agent holds the key
// (a USB key), never the server. Protocol: docs/signing-agent.md (decision 0053). Each step's failure is told in words.
const noAgent = '未检测到数字证书助手，请确认已插入数字证书并启动证书助手';

async function problem(response, fallback) {
  try {
    const body = await response.json();
    return body.detail || body.title || fallback;
  } catch {
    return fallback;
  }
}

async function agentStatus(agentUrl) {
  try {
    const answer = await fetch(`${agentUrl}/status`, { cache: 'no-store' });
    return answer.ok ? await answer.json() : null;
  } catch {
    return null; // not running, or refusing this site (CORS)
  }
}

export async function sign(caseId, agentUrl, boundThumbprints) {
  const status = await agentStatus(agentUrl);
  if (!status) {
    return { ok: false, message: noAgent };
  }

  const certificates = Array.isArray(status.certificates) ? status.certificates : [];
  if (certificates.length === 0) {
    return { ok: false, message: '证书助手已启动，但没有读到数字证书，请插入企业数字证书（USB Key）后重试' };
  }

  const bound = new Set(boundThumbprints.map(t => t.toUpperCase()));
  const certificate = certificates.find(c => bound.has(String(c.thumbprint || '').toUpperCase()));
  if (!certificate) {
    return { ok: false, message: '插入的数字证书没有绑定到您的账号，请插入已绑定的证书，或先用该证书登录并绑定' };
  }

  const text = await fetch(`/api/cases/${caseId}/signing-text`, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!text.ok) {
    return { ok: false, message: await problem(text, `未能取得待签名的申请内容（${text.status}），请刷新页面后再试`) };
  }

  const { signedAt, content } = await text.json();
  let signed;
  try {
    signed = await fetch(`${agentUrl}/sign`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content, certificateThumbprint: certificate.thumbprint, description: '签名提交的行政审批申请' }),
    });
  } catch {
    return { ok: false, message: noAgent };
  }

  const answer = await signed.json().catch(() => ({}));
  if (!signed.ok || !answer.cms) {
    return answer.error === 'cancelled'
      ? { ok: false, message: '您取消了签名，申请尚未签名；需要时可再次点击“使用数字证书签名”' }
      : { ok: false, message: `证书助手未能签名：${answer.message || signed.status}` };
  }

  // The app's proof that the post comes from its own page (decision 0022): same-origin fetch, and the header no other site can send.
  const posted = await fetch(`/api/cases/${caseId}/signature`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
    body: JSON.stringify({ signedAt, signature: answer.cms }),
  });
  return posted.ok
    ? { ok: true, message: null }
    : { ok: false, message: await problem(posted, `服务器未接受签名（${posted.status}），请稍后再试`) };
}
