// The upload page: preview each export, start a job, poll it, offer the outputs.
"use strict";

const state = { files: [], config: null };
const $ = (id) => document.getElementById(id);
const NAMES = {
  "report.xlsx": "流失原因报告 (Excel)",
  "docs.csv": "文档明细 docs.csv",
  "mentions.csv": "主题提及 mentions.csv",
  "attribution.csv": "归因表 attribution.csv",
  "features.parquet": "用户特征 features.parquet",
};

function headers() {
  const token = $("token").value.trim();
  return token ? { Authorization: "Bearer " + token } : {};
}

async function answer(response) {
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : response.statusText;
    throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
  }
  return body;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

function fillSelect(select, columns, chosen) {
  const keep = select.value;
  select.length = 1;
  for (const column of columns) {
    const option = document.createElement("option");
    option.value = option.textContent = column;
    select.appendChild(option);
  }
  select.value = columns.includes(keep) ? keep : "";
  select.dataset.detected = chosen || "";
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text == null ? "" : String(text);
  if (className) td.className = className;
  return td;
}

async function preview(file) {
  const form = new FormData();
  form.append("file", file);
  const row = $("preview").tBodies[0].insertRow();
  cell(row, file.name);
  try {
    const info = await answer(await fetch("/api/preview", { method: "POST", body: form, headers: headers() }));
    cell(row, info.format);
    cell(row, info.encoding || "—");
    cell(row, info.platform || "");
    cell(row, info.source || "");
    cell(row, info.rows != null ? info.rows : "");
    if (info.problem) {
      cell(row, info.problem, "problem");
    } else {
      const roles = info.roles;
      cell(row, `文本: ${roles.text.join("、")}；用户: ${roles.user_id || "—"}；时间: ${roles.time || "—"}`);
    }
    const columns = info.columns;
    fillSelect($("text-col"), columns, info.roles && info.roles.text[0]);
    fillSelect($("id-col"), columns, info.roles && info.roles.user_id);
    fillSelect($("time-col"), columns, info.roles && info.roles.time);
    $("roles").hidden = false;
  } catch (error) {
    cell(row, error.message, "problem").colSpan = 6;
  }
}

function addFiles(list) {
  for (const file of list) state.files.push(file);
  $("preview").hidden = state.files.length === 0;
  $("run").disabled = state.files.length === 0;
  for (const file of list) preview(file);
}

async function download(jobId, name, link) {
  // with a token the browser cannot follow a plain link: fetch, then save the blob
  const response = await fetch(`/api/jobs/${jobId}/files/${name}`, { headers: headers() });
  if (!response.ok) { showError(`${name}: ${response.statusText}`); return; }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement("a");
  a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function offer(jobId, files) {
  const list = $("downloads");
  list.textContent = "";
  for (const name of files) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `/api/jobs/${jobId}/files/${name}`;
    a.download = name;
    a.textContent = NAMES[name] || name;
    a.dataset.file = name;
    if (state.config && state.config.token_required) {
      a.addEventListener("click", (event) => { event.preventDefault(); download(jobId, name, a); });
    }
    li.appendChild(a);
    list.appendChild(li);
  }
  list.hidden = false;
}

async function poll(jobId) {
  const job = await answer(await fetch(`/api/jobs/${jobId}`, { headers: headers() }));
  $("progress").value = job.progress;
  const words = { queued: "排队中…", running: "分析中…", done: "完成", failed: "失败" };
  $("status").textContent = `${words[job.status]} ${Math.round(job.progress * 100)}%`;
  if (job.status === "done") { offer(jobId, job.files); $("run").disabled = false; return; }
  if (job.status === "failed") { showError(job.error); $("run").disabled = false; return; }
  setTimeout(() => poll(jobId).catch((e) => showError(e.message)), 800);
}

async function run() {
  showError("");
  $("downloads").hidden = true;
  $("run").disabled = true;
  const form = new FormData();
  for (const file of state.files) form.append("files", file);
  if ($("labels").files[0]) form.append("labels", $("labels").files[0]);
  if ($("taxonomy").files[0]) form.append("taxonomy", $("taxonomy").files[0]);
  if ($("text-col").value) form.append("text_col", $("text-col").value);
  if ($("id-col").value) form.append("id_col", $("id-col").value);
  if ($("time-col").value) form.append("time_col", $("time-col").value);
  form.append("lang", $("lang").value);
  $("progress").hidden = false;
  $("progress").value = 0;
  $("status").textContent = "上传中…";
  try {
    const job = await answer(await fetch("/api/jobs", { method: "POST", body: form, headers: headers() }));
    await poll(job.id);
  } catch (error) {
    showError(error.message);
    $("run").disabled = false;
  }
}

async function start() {
  state.config = await answer(await fetch("/api/config"));
  $("token-box").hidden = !state.config.token_required;
  $("limit-hint").textContent = `单次上传不超过 ${state.config.max_upload_mb} MB`;
  const drop = $("drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    addFiles(event.dataTransfer.files);
  });
  $("files").addEventListener("change", (event) => addFiles(event.target.files));
  $("run").addEventListener("click", run);
}

start().catch((error) => showError(error.message));
