// The upload page: preview each export, start a job, poll it, offer the outputs.
"use strict";

const state = { files: [], rows: [], config: null };
const $ = (id) => document.getElementById(id);
const NAMES = {
  "report.xlsx": "流失原因报告 (Excel)",
  "docs.csv": "文档明细 docs.csv",
  "mentions.csv": "主题提及 mentions.csv",
  "attribution.csv": "归因表 attribution.csv",
  "features.csv": "用户特征 features.csv",
  "features.xlsx": "用户特征 (Excel) features.xlsx",
  "features.parquet": "用户特征 features.parquet (pandas、Spark 用)",
};
const SOURCES = { survey: "问卷", service: "客服", social: "社交媒体" };
const PLATFORMS = {
  wjx: "问卷星", tencent: "腾讯问卷", qualtrics: "Qualtrics", surveymonkey: "SurveyMonkey", generic: "通用表格",
};
// shown on the page, not offered as a download
const PAGE_ONLY = new Set(["overview.json"]);
const CERTAINTY = {
  strong: "很有把握", moderate: "较有把握", weak: "有一定把握",
  uncertain: "不确定(可能是偶然)", not_modelled: "未建模",
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
  if (chosen) select.options[0].textContent = `自动(${chosen})`;
}

function roleSelect(row, columns, chosen, role) {
  const td = row.insertCell();
  const select = document.createElement("select");
  select.dataset.role = role;
  select.appendChild(new Option("自动", ""));
  fillSelect(select, columns, chosen);
  td.appendChild(select);
  return select;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text == null ? "" : String(text);
  if (className) td.className = className;
  return td;
}

async function preview(file, index) {
  const form = new FormData();
  form.append("file", file);
  const row = $("preview").tBodies[0].insertRow();
  row.dataset.index = index;
  state.rows[index] = row;
  cell(row, file.name);
  try {
    const info = await answer(await fetch("/api/preview", { method: "POST", body: form, headers: headers() }));
    cell(row, info.format);
    cell(row, info.encoding || "—");
    cell(row, PLATFORMS[info.platform] || info.platform || "");
    cell(row, SOURCES[info.source] || info.source || "");
    cell(row, info.rows != null ? info.rows : "");
    if (info.problem) {
      cell(row, info.problem, "problem");
    } else {
      const roles = info.roles;
      cell(row, `文本: ${roles.text.join("、")}；用户: ${roles.user_id || "—"}；时间: ${roles.time || "—"}`);
    }
    const roles = info.roles || {};
    // each file its own columns: two exports rarely share their column names
    roleSelect(row, info.columns, roles.text && roles.text[0], "text_col");
    roleSelect(row, info.columns, roles.user_id, "id_col");
    roleSelect(row, info.columns, roles.time, "time_col");
    $("roles-hint").hidden = false;
  } catch (error) {
    cell(row, error.message, "problem").colSpan = 9;
  }
}

function fileColumns() {
  const choices = state.files.map((file, index) => {
    const row = state.rows[index];
    const choice = {};
    if (row) {
      for (const select of row.querySelectorAll("select")) {
        if (select.value) choice[select.dataset.role] = select.value;
      }
    }
    return choice;
  });
  return choices.some((c) => Object.keys(c).length) ? JSON.stringify(choices) : "";
}

async function previewLabels(file) {
  const box = $("label-roles");
  if (!file) { box.hidden = true; return; }
  const form = new FormData();
  form.append("file", file);
  try {
    const info = await answer(await fetch("/api/preview", { method: "POST", body: form, headers: headers() }));
    for (const id of ["label-id-col", "label-col", "churn-date-col"]) fillSelect($(id), info.columns, "");
    $("label-hint").textContent = "标签表的列按列名识别(用户ID、是否流失、流失日期)；不对时在这里选。";
    box.hidden = false;
  } catch (error) {
    $("label-hint").textContent = error.message;
    box.hidden = false;
  }
}

function addFiles(list) {
  const start = state.files.length;
  for (const file of list) state.files.push(file);
  $("preview").hidden = state.files.length === 0;
  $("run").disabled = state.files.length === 0;
  Array.from(list).forEach((file, i) => preview(file, start + i));
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
    if (PAGE_ONLY.has(name)) continue;
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
}

const percent = (x) => (x == null ? "—" : `${(100 * x).toFixed(1)}%`);

function figure(name, value) {
  const div = document.createElement("div");
  const dt = document.createElement("dt");
  const dd = document.createElement("dd");
  dt.textContent = name;
  dd.textContent = value;
  div.append(dt, dd);
  $("figures").appendChild(div);
}

function showResult(overview) {
  const f = overview.figures;
  $("figures").textContent = "";
  figure("分析文档数", f.documents);
  figure("涉及用户数", f.users);
  figure("负面文档占比", percent(f.negative_share));
  if (f.churn_rate != null) figure("流失率(纳入归因的用户)", percent(f.churn_rate));
  if (f.auc) {
    const gain = f.auc.gain;
    const sure = f.auc.ci_low > 0 ? "区间不含 0" : "区间包含 0：可能是偶然";
    figure("文本带来的 AUC 提升", `${gain >= 0 ? "+" : ""}${gain.toFixed(3)}(${sure})`);
  }
  const byImpact = overview.ranked_by === "impact";
  $("reasons-title").textContent = byImpact ? "主要流失原因(按归因流失占比)" : "主要原因(按负面提及数；上传流失标签表可得到归因)";
  const table = $("reasons");
  table.tHead.textContent = table.tBodies[0].textContent = "";
  const head = table.tHead.insertRow();
  const names = byImpact ? ["原因", "归因流失占比", "", "调整后比值比(95%区间)", "把握程度", "负面提及用户"] : ["原因", "负面提及数", "", "提及文档数"];
  for (const name of names) { const th = document.createElement("th"); th.textContent = name; head.appendChild(th); }
  const values = overview.reasons.map((r) => Math.abs(byImpact ? r.impact || 0 : r.negative));
  const largest = Math.max(...values, 1e-9);
  overview.reasons.forEach((reason, i) => {
    const row = table.tBodies[0].insertRow();
    cell(row, reason.theme);
    cell(row, byImpact ? percent(reason.impact) : reason.negative);
    const bar = document.createElement("span");
    bar.style.width = `${Math.round((100 * values[i]) / largest)}%`;
    if (byImpact && reason.certainty === "uncertain") bar.className = "unsure";
    else if (byImpact && reason.impact < 0) bar.className = "less";
    cell(row, "", "bar").appendChild(bar);
    if (byImpact) {
      cell(row, reason.odds_ratio == null ? "—" : `${reason.odds_ratio.toFixed(2)} (${reason.ci_low.toFixed(2)}–${reason.ci_high.toFixed(2)})`);
      cell(row, CERTAINTY[reason.certainty] || reason.certainty);
      cell(row, reason.users);
    } else {
      cell(row, reason.mentions);
    }
  });
  $("reasons-note").textContent = byImpact
    ? "灰色：区间包含 1，可能是偶然，不宜据此行动；绿色：提及者反而流失更少。完整的表、原声和方法说明在报告里。"
    : "完整的表、原声和方法说明在报告里。";
  $("result").hidden = false;
}

async function finished(jobId, files) {
  offer(jobId, files);
  if (files.includes("overview.json")) {
    const response = await fetch(`/api/jobs/${jobId}/files/overview.json`, { headers: headers() });
    if (response.ok) showResult(await response.json());
  }
  $("result").hidden = false;
}

async function poll(jobId) {
  const job = await answer(await fetch(`/api/jobs/${jobId}`, { headers: headers() }));
  $("progress").value = job.progress;
  const words = { queued: "排队中…", running: "分析中…", done: "完成", failed: "失败" };
  if (job.status === "failed") {
    // a failed run looks failed: no full bar, no percentage
    $("progress").hidden = true;
    $("status").textContent = "失败";
    $("status").className = "failed";
    showError(job.error);
    $("run").disabled = false;
    return;
  }
  $("status").className = "";
  $("status").textContent = `${words[job.status]} ${Math.round(job.progress * 100)}%`;
  if (job.status === "done") {
    $("progress").hidden = true;
    await finished(jobId, job.files);
    $("run").disabled = false;
    return;
  }
  setTimeout(() => poll(jobId).catch((e) => showError(e.message)), 800);
}

async function run() {
  showError("");
  $("result").hidden = true;
  $("run").disabled = true;
  const form = new FormData();
  for (const file of state.files) form.append("files", file);
  if ($("labels").files[0]) form.append("labels", $("labels").files[0]);
  if ($("taxonomy").files[0]) form.append("taxonomy", $("taxonomy").files[0]);
  const columns = fileColumns();
  if (columns) form.append("columns", columns);
  const fields = { "label-id-col": "label_id_col", "label-col": "label_col", "churn-date-col": "churn_date_col" };
  for (const [id, field] of Object.entries(fields)) if ($(id).value) form.append(field, $(id).value);
  form.append("lang", $("lang").value);
  $("progress").hidden = false;
  $("progress").value = 0;
  $("status").className = "";
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
  $("labels").addEventListener("change", (event) => previewLabels(event.target.files[0]));
  $("run").addEventListener("click", run);
}

start().catch((error) => showError(error.message));
