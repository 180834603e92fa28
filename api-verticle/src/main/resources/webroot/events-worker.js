// One event stream for every tab of this browser. A browser allows six HTTP/1.1 connections per
// server, so with an EventSource per tab the seventh tab would wait at "Connecting…" for ever.
// This shared worker holds the only EventSource and hands each event to every tab's port.
const STREAM_EVENTS = ['incident', 'heartbeat', 'metrics'];
const ports = new Set();
let source = null;
let status = 'connecting';

function broadcast(msg) {
  for (const port of ports) port.postMessage(msg);
}

function openStream() {
  source = new EventSource('/api/v1/events');
  source.addEventListener('open', () => { status = 'live'; broadcast({ type: 'status', status }); });
  source.addEventListener('error', () => {
    status = source.readyState === EventSource.CLOSED ? 'closed' : 'retrying';
    broadcast({ type: 'status', status });
  });
  for (const name of STREAM_EVENTS) source.addEventListener(name, ev => broadcast({ type: name, data: ev.data }));
}

self.onconnect = ev => {
  const port = ev.ports[0];
  ports.add(port);
  // A tab says goodbye on pagehide; the stream closes with the last tab.
  port.onmessage = m => {
    if (m.data !== 'bye') return;
    ports.delete(port);
    if (!ports.size && source) { source.close(); source = null; status = 'connecting'; }
  };
  port.start();
  port.postMessage({ type: 'status', status });
  if (!source || source.readyState === EventSource.CLOSED) openStream();
};
