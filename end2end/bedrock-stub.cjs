// A stand-in for Amazon Bedrock's runtime for the browser tests of the bar that runs on Bedrock
// (see playwright.config.ts), speaking its wire format. `POST /model/{id}/converse` answers JSON (a
// photo prompt, or what the learner asks for); `POST /model/{id}/invoke` answers Titan Text
// Embeddings V2 (a vector from the text's words) and the Nova Canvas / Titan Image Generator
// TEXT_IMAGE task (a real PNG of the size asked for); `POST /model/{id}/converse-stream` answers
// AWS event-stream frames: a few words, then nothing more for a minute, like a model that is slow
// to go on (a guest can press Stop), unless the server hangs up first.
const http = require('node:http');
const { pngPhoto, crc } = require('./png.cjs');

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

/** One AWS event-stream message: prelude, string headers, JSON payload, CRCs. */
function frame(eventType, payload) {
  const headers = Buffer.concat(
    [
      [':event-type', eventType],
      [':content-type', 'application/json'],
      [':message-type', 'event'],
    ].map(([name, value]) => {
      const n = Buffer.from(name);
      const v = Buffer.from(value);
      const head = Buffer.alloc(1 + n.length + 3);
      head.writeUInt8(n.length, 0);
      n.copy(head, 1);
      head.writeUInt8(7, 1 + n.length); // a string
      head.writeUInt16BE(v.length, 2 + n.length);
      return Buffer.concat([head, v]);
    }),
  );
  const body = Buffer.from(JSON.stringify(payload));
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(12 + headers.length + body.length + 4, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc(prelude));
  const message = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc(message));
  return Buffer.concat([message, messageCrc]);
}

/** The start of an answer, a word at a time; the rest a minute later (or never, if hung up on). */
function converseStream(res) {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'e2e-stub' });
  const words = 'Let me think about something smoky for you'.split(' ');
  const frames = [frame('messageStart', { role: 'assistant' })].concat(
    words.map((word, i) => frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: (i ? ' ' : '') + word } })),
  );
  const timers = frames.map((f, i) => setTimeout(() => res.write(f), 30 * i));
  timers.push(
    setTimeout(() => {
      res.write(frame('contentBlockStop', { contentBlockIndex: 0 }));
      res.end(frame('messageStop', { stopReason: 'end_turn' }));
    }, 60_000),
  );
  res.on('close', () => timers.forEach(clearTimeout));
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
      if (/^\/model\/[^/]+\/converse-stream$/.test(req.url ?? '')) return converseStream(res);
      const [status, out] = answer(req, body);
      send(res, status, out, status >= 400 ? { 'x-amzn-errortype': 'ValidationException' } : {});
    });
  })
  .listen(port, '127.0.0.1');
