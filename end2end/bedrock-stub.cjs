// A stand-in for Amazon Bedrock's runtime for the browser tests of the bar that runs on Bedrock
// (see playwright.config.ts): it speaks the wire format of the calls that bar's background work
// makes. `POST /model/{id}/converse` answers JSON (a photo prompt, or what the learner asks for);
// `POST /model/{id}/invoke` answers Titan Text Embeddings V2 (a vector from the text's words) and
// the Nova Canvas / Titan Image Generator TEXT_IMAGE task (a real PNG of the size asked for).
// A chat answer (ConverseStream) is not spoken here: that bar's guests get the house's answer.
const http = require('node:http');
const { pngPhoto } = require('./png.cjs');

const port = Number(process.env.E2E_STUB_PORT ?? 3103);

/** Words hashed into buckets and counted, as a unit vector: texts that share words are near. */
function embedding(text, dimensions) {
  const vector = new Array(dimensions).fill(0);
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2)) {
    let hash = 2166136261;
    for (const ch of word) hash = Math.imul(hash ^ ch.codePointAt(0), 16777619) >>> 0;
    vector[hash % dimensions] += 1;
  }
  const length = Math.hypot(...vector) || 1;
  return vector.map((x) => x / length);
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'e2e-stub', ...headers });
  res.end(JSON.stringify(body));
}

function answer(req, body) {
  const match = /^\/model\/([^/]+)\/(converse|invoke)$/.exec(req.url ?? '');
  if (req.method === 'GET' && req.url === '/health') return [200, { ok: true }];
  if (!match) return [404, { message: `the stub does not serve ${req.method} ${req.url}` }];
  const [, , operation] = match;
  if (operation === 'converse') {
    const system = (body.system ?? []).map((b) => b.text ?? '').join('\n');
    const user = (body.messages ?? []).at(-1)?.content?.map((b) => b.text ?? '').join('\n') ?? '';
    const name = /Drink: (.*)/.exec(user)?.[1] ?? 'the drink';
    const text = system.includes('photo prompt')
      ? `A ${name} in a tall glass on a wooden bar, evening light. ${/word for word: (.*)$/s.exec(system)?.[1] ?? ''}`
      : '{"likes": [], "dislikes": [], "allergies": [], "wishes": []}';
    return [200, {
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens: 20, totalTokens: 30 },
      metrics: { latencyMs: 5 },
    }];
  }
  if (typeof body.inputText === 'string') {
    return [200, { embedding: embedding(body.inputText, body.dimensions ?? 1024), inputTextTokenCount: body.inputText.split(/\s+/).length }];
  }
  if (body.taskType === 'TEXT_IMAGE') {
    const { width = 1024, height = 1024 } = body.imageGenerationConfig ?? {};
    return [200, { images: [pngPhoto(width, height).toString('base64')], error: null }];
  }
  return [400, { message: 'the stub does not know this request' }];
}

http
  .createServer((req, res) => {
    let raw = '';
    req.on('data', (piece) => (raw += piece));
    req.on('end', () => {
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return send(res, 400, { message: 'not JSON' }, { 'x-amzn-errortype': 'ValidationException' });
      }
      const [status, out] = answer(req, body);
      send(res, status, out, status >= 400 ? { 'x-amzn-errortype': 'ValidationException' } : {});
    });
  })
  .listen(port, '127.0.0.1');
