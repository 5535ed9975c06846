// Loads one GGUF on node-llama-cpp's prebuilt CPU llama.cpp, creates one context per configuration
// and prints, per configuration, one JSON line with the buffer sizes llama.cpp logged and the
// process RSS. Usage:
//   node measure.mjs MODEL.gguf '[{"ctx":4096,"ubatch":512,"fa":true,"typeK":"F16","typeV":"F16"}, ...]'
//        [--threads N] [--eval N] [--no-alloc]
// --eval N       after creating a context, evaluate N prompt tokens (touches the compute buffer)
// --no-alloc     llama.cpp's no_alloc mode: sizes every buffer, allocates and reads nothing (for models
//                whose repacked copy or mapped file would not fit this shared machine)
// Configurations run one after another in this process (each context disposed before the next);
// run.py starts a fresh process per group of configurations.
import fs from "node:fs";
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : dflt;
};
const modelPath = argv[0];
const configs = JSON.parse(argv[1] ?? "[]");
const threads = Number(opt("--threads", "2"));
const evalTokens = Number(opt("--eval", "0"));
const noAlloc = argv.includes("--no-alloc");
// GGML type ids (ggml.h) for the KV cache types this script accepts
const GGML_TYPES = {F32: 0, F16: 1, Q4_0: 2, Q4_1: 3, Q5_0: 6, Q5_1: 7, Q8_0: 8, BF16: 30};
const ggmlTypeId = (name) => {
    if (!(name in GGML_TYPES)) throw new Error(`KV cache type ${name} not supported; use one of ${Object.keys(GGML_TYPES)}`);
    return GGML_TYPES[name];
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let lines = [];
const repacked = [];
const allLines = []; // "<tensor> with <layout>" for every tensor llama.cpp repacked
const emit = (obj) => {
    const buf = Buffer.from(JSON.stringify(obj) + "\n");
    for (let off = 0; off < buf.length;) {
        try {
            off += fs.writeSync(1, buf, off);
        } catch (e) {
            if (e.code !== "EAGAIN") throw e;
        }
    }
};
// debug lines that carry no sizes (one per tensor / graph input)
const NOISE = /create_tensor: loading|llama_graph_n_input_tensors|llama_model_loader: - kv|assigned to device|llama_kv_cache: layer +\d+: dev|repack: repack tensor|^\.+$/;

function procStatus() {
    const s = fs.readFileSync("/proc/self/status", "utf8");
    const kb = (key) => {
        const m = s.match(new RegExp("^" + key + ":\\s+(\\d+) kB", "m"));
        return m ? Number(m[1]) / 1024 : null;
    };
    return {rss: kb("VmRSS"), rssAnon: kb("RssAnon"), rssFile: kb("RssFile"), hwm: kb("VmHWM")};
}

// the buffer lines llama.cpp prints (src/llama-model.cpp, llama-context.cpp, llama-kv-cache.cpp)
function parse(ls) {
    const r = {model: {}, kv: {}, compute: {}, output: {}, kvDetail: [], notes: []};
    for (const l of ls) {
        let m;
        if ((m = l.match(/^\S*: +(\S+) model buffer size = +([\d.]+) MiB/))) r.model[m[1]] = (r.model[m[1]] ?? 0) + Number(m[2]);
        else if ((m = l.match(/^\S*: +(\S+) KV buffer size = +([\d.]+) MiB/))) r.kv[m[1]] = (r.kv[m[1]] ?? 0) + Number(m[2]);
        else if ((m = l.match(/^\S*: +(\S+) compute buffer size = +([\d.]+) MiB/))) r.compute[m[1]] = Number(m[2]);
        else if ((m = l.match(/^\S*: +(\S+) +output buffer size = +([\d.]+) MiB/))) r.output[m[1]] = Number(m[2]);
        else if ((m = l.match(/llama_kv_cache: size = +([\d.]+) MiB \( *(\d+) cells, +(\d+) layers, +(\d+)\/(\d+) seqs\), K \((\S+)\): +([\d.]+) MiB, V \((\S+)\): +([\d.]+) MiB/)))
            r.kvDetail.push({mib: Number(m[1]), cells: Number(m[2]), layers: Number(m[3]), typeK: m[6], kMib: Number(m[7]), typeV: m[8], vMib: Number(m[9])});
        else if ((m = l.match(/graph(?: \(pp bs=(\d+), tg bs=(\d+)\))?: nodes = ([\d ]+?(?:\/ \d+)?), splits = ([\d ]+?(?:\/ \d+)?),/))) {
            r.graphNodes = m[3].trim();
            r.graphSplits = m[4].trim();
        } else if ((m = l.match(/llama_context: n_ctx += (\d+)/))) r.nCtx = Number(m[1]);
        else if ((m = l.match(/llama_context: n_ctx_seq += (\d+)/))) r.nCtxSeq = Number(m[1]);
        else if ((m = l.match(/llama_context: n_batch += (\d+)/))) r.nBatch = Number(m[1]);
        else if ((m = l.match(/llama_context: n_ubatch += (\d+)/))) r.nUbatch = Number(m[1]);
        else if ((m = l.match(/llama_context: flash_attn += (\S+)/))) r.flashAttnParam = m[1];
        else if ((m = l.match(/(Flash Attention|flash_attn|Flash attention)\S* (enabled|not supported.*|disabled.*)/i))) r.notes.push(l.trim());
        else if ((m = l.match(/n_swa += (\d+)/))) r.nSwa = Number(m[1]);
        else if ((m = l.match(/load_backend: loaded CPU backend from (\S+)/))) r.cpuBackend = m[1].split("/").pop();
        else if ((m = l.match(/file type += (.+)$/))) r.fileType = m[1].trim();
        else if ((m = l.match(/file size += ([\d.]+) (\S+) \(([\d.]+) BPW\)/))) r.fileSize = `${m[1]} ${m[2]}`, r.bpw = Number(m[3]);
        else if (/requires flash_attn|requires Flash Attention|not supported|error|failed/i.test(l)) r.notes.push(l.trim());
    }
    return r;
}

const llama = await getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.debug,
    logger: (level, message) => {
        for (const l of String(message).split("\n")) {
            if (/repack: repack tensor/.test(l)) repacked.push(l.replace(/.*repack tensor /, ""));
            if (l.trim() && !NOISE.test(l)) {
                lines.push(l);
                allLines.push(l);
            }
        }
    },
    maxThreads: threads,
});

const base = {
    llamaCpp: llama.llamaCppRelease,
    systemInfo: llama.systemInfo,
    threads,
};

if (noAlloc) {
    // llama.cpp's no_alloc mode (what node-llama-cpp's own resource simulator uses): every buffer is
    // sized, none is allocated or read. KV and compute sizes are printed as in a real load; model
    // buffers print as 0, so the model's host total comes from llama_model::memory_breakdown().
    const m = new llama._bindings.AddonModel(modelPath, {gpuLayers: 0, noAlloc: true, useMmap: true, useMlock: false});
    if (!(await m.init())) {
        emit({...base, noAlloc: true, error: "load failed", log: lines.slice(-40)});
        process.exit(1);
    }
    await sleep(50);
    const modelBreakdown = m.getMemoryBreakdown();
    const swa = allLines.some((l) => /n_swa += [1-9]/.test(l));
    for (const c of configs) {
        lines = [];
        let error = null;
        const ctx = new llama._bindings.AddonContext(m, {contextSize: c.ctx, batchSize: c.ubatch, sequences: 1,
            flashAttention: c.fa === "auto" ? "auto" : Boolean(c.fa), threads,
            kvCacheKeyType: ggmlTypeId(c.typeK ?? "F16"), kvCacheValueType: ggmlTypeId(c.typeV ?? "F16")});
        try {
            if (!(await ctx.init())) error = "context init failed";
        } catch (e) {
            error = e.message;
        }
        await sleep(50);
        const p = parse(lines);
        const lp = parse(allLines);
        emit({...base, noAlloc: true, config: c, error, modelHostBytes: modelBreakdown.cpuRam,
            cpuBackend: lp.cpuBackend, fileType: lp.fileType, fileSize: lp.fileSize, bpw: lp.bpw, nSwa: lp.nSwa, swa,
            kv: Object.fromEntries(Object.entries(p.kv).filter(([, v]) => v > 0)), kvDetail: p.kvDetail,
            compute: p.compute, output: p.output, graphNodes: p.graphNodes, graphSplits: p.graphSplits,
            nCtx: p.nCtx, nCtxSeq: p.nCtxSeq, nBatch: p.nBatch, nUbatch: p.nUbatch, flashAttnParam: p.flashAttnParam,
            notes: p.notes, contextLog: c.keepLog ? lines : undefined});
        await ctx.dispose();
    }
    await m.dispose();
    process.exit(0);
}

let model;
const t0 = Date.now();
try {
    model = await llama.loadModel({modelPath, gpuLayers: 0, useMmap: true, ignoreMemorySafetyChecks: true,
});
} catch (e) {
    emit({...base, error: "load: " + e.message, ...parse(lines), log: lines.slice(-40)});
    process.exit(1);
}
const loadMs = Date.now() - t0;
await sleep(50); // llama.cpp's log reaches JS asynchronously
const loadLog = lines;
const afterLoad = procStatus();
lines = [];

const swaSize = model.fileInsights.swaSize ?? 0;
for (const c of configs) {
    lines = [];
    const t1 = Date.now();
    let context;
    let error = null;
    try {
        context = await model.createContext({
            contextSize: c.ctx,
            // node-llama-cpp adds 1 to the batch of SWA models ("edge cases with SWA KV cache"):
            // ask for one less so llama.cpp gets n_batch = n_ubatch = c.ubatch
            batchSize: c.ubatch - (swaSize > 0 ? 1 : 0),
            flashAttention: c.fa === "auto" ? "auto" : Boolean(c.fa),
            threads,
            sequences: 1,
            experimentalKvCacheKeyType: c.typeK ?? "F16",
            experimentalKvCacheValueType: c.typeV ?? "F16",
            ignoreMemorySafetyChecks: true,
            failedCreationRemedy: false,
        });
    } catch (e) {
        error = e.message;
    }
    const ctxMs = Date.now() - t1;
    await sleep(50);
    const afterCtx = procStatus();
    let afterEval = null;
    if (context && evalTokens > 0) {
        const seq = context.getSequence();
        const tokens = Array.from({length: evalTokens}, (_, i) => 300 + i);
        await seq.evaluateWithoutGeneratingNewTokens(tokens);
        afterEval = procStatus();
    }
    const p = parse(lines);
    const lp = parse(allLines);
    emit({
        ...base, config: c, error, loadMs, ctxMs,
        model: lp.model, repackedTensors: repacked.length, repackLayouts: [...new Set(repacked.map((r) => r.split(" with ")[1]))],
        repackedSample: repacked.filter((r) => /^(token_embd|output|blk\.0\.)/.test(r)).map((r) => r.split(" with ")[0]),
        cpuBackend: lp.cpuBackend, fileType: lp.fileType, fileSize: lp.fileSize, bpw: lp.bpw,
        nSwa: lp.nSwa,
        kv: p.kv, kvDetail: p.kvDetail, compute: p.compute, output: p.output,
        graphNodes: p.graphNodes, graphSplits: p.graphSplits,
        nCtx: p.nCtx, nCtxSeq: p.nCtxSeq, nBatch: p.nBatch, nUbatch: p.nUbatch, flashAttnParam: p.flashAttnParam,
        notes: p.notes, procAfterLoad: afterLoad, procAfterCtx: afterCtx, procAfterEval: afterEval,
        contextLog: c.keepLog ? lines : undefined,
        loadLog: c.keepLog ? loadLog : undefined,
    });
    if (context) await context.dispose();
}
await model.dispose();
