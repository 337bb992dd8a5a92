/// The monitor page: plain HTML and JavaScript, no build step. Live calls (latest message, flow
/// node) in `#live`, recently ended calls in `#ended`; rows carry `data-call-id`.
enum MonitorPage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>CallStream live monitor</title>
    <style>
      body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
      h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid #ddd; vertical-align: top; }
      th { background: #f4f4f4; } .role { color: #777; } .id { font-family: monospace; font-size: 12px; }
      #status { float: right; color: #777; } #status.on { color: #080; }
    </style>
    </head>
    <body>
    <h1>CallStream live monitor <span id="status">connecting…</span></h1>
    <h2>Calls in progress (<span id="live-count">0</span>)</h2>
    <table><thead><tr><th>call</th><th>agent</th><th>flow node</th><th>latest message</th><th>events</th></tr></thead>
    <tbody id="live"></tbody></table>
    <h2>Recently ended</h2>
    <table><thead><tr><th>call</th><th>agent</th><th>ended because</th><th>last message</th><th>events</th></tr></thead>
    <tbody id="ended"></tbody></table>
    <script>
    "use strict";
    const calls = new Map();
    function cell(text, cls) {
      const td = document.createElement("td");
      td.textContent = text == null ? "" : String(text);
      if (cls) td.className = cls;
      return td;
    }
    function row(call) {
      const tr = document.createElement("tr");
      tr.dataset.callId = call.callID;
      tr.className = "call " + call.state;
      const message = document.createElement("td");
      message.className = "message";
      if (call.lastMessage != null) {
        const role = document.createElement("span");
        role.className = "role";
        role.textContent = (call.lastMessageRole || "?") + ": ";
        message.append(role, document.createTextNode(call.lastMessage));
      }
      const middle = call.state === "live" ? cell(call.flowNode, "node") : cell(call.disconnectionReason, "reason");
      tr.append(cell(call.callID, "id"), cell(call.agentID, "id"), middle, message, cell(call.events));
      return tr;
    }
    function render() {
      const live = document.getElementById("live"), ended = document.getElementById("ended");
      const all = Array.from(calls.values());
      const liveCalls = all.filter(c => c.state === "live").sort((a, b) => (a.startedAtMs || 0) - (b.startedAtMs || 0));
      const endedCalls = all.filter(c => c.state !== "live").sort((a, b) => b.order - a.order).slice(0, 50);
      live.replaceChildren(...liveCalls.map(row));
      ended.replaceChildren(...endedCalls.map(row));
      document.getElementById("live-count").textContent = liveCalls.length;
    }
    let order = 0;
    function put(call, endedOrder) {
      const known = calls.get(call.callID);
      call.order = known && known.state !== "live" ? known.order : endedOrder;
      calls.set(call.callID, call);
    }
    const source = new EventSource("events");
    source.addEventListener("snapshot", e => {
      calls.clear();
      const list = JSON.parse(e.data);
      list.forEach((call, index) => put(call, list.length - index));
      order = list.length;
      render();
    });
    source.addEventListener("call", e => { put(JSON.parse(e.data), ++order); render(); });
    source.onopen = () => { const s = document.getElementById("status"); s.textContent = "live"; s.className = "on"; };
    source.onerror = () => { const s = document.getElementById("status"); s.textContent = "reconnecting…"; s.className = ""; };
    const settle = Number(new URLSearchParams(location.search).get("settleMs") || 0);
    if (settle > 0) {
      // Holds the load event while updates arrive (for headless browsers that dump the DOM at load).
      const img = document.createElement("img");
      img.src = "settle?ms=" + settle;
      img.alt = "";
      img.style.display = "none";
      document.body.append(img);
    }
    </script>
    </body>
    </html>
    """#
}
