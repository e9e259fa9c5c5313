/** The page's only stylesheet, inlined: no external assets, so it renders the same behind any firewall. */
export const STATUS_CSS = `
:root{color-scheme:light dark;--bg:#f7f8fa;--card:#fff;--fg:#1c2430;--muted:#5b6675;--line:#e2e6eb;--none:#d5dae1;
--ok:#1f9d55;--minor:#d69e00;--major:#e8590c;--critical:#d6336c;--maint:#3b82f6}
@media (prefers-color-scheme:dark){:root{--bg:#0f141a;--card:#171e26;--fg:#e6ebf1;--muted:#9aa5b3;--line:#26303b;--none:#2c3643}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.wrap{max-width:880px;margin:0 auto;padding:24px 16px 48px}
header h1{font-size:1.5rem;margin:0 0 12px}
.audience{margin:-6px 0 12px;color:var(--muted)}
a{color:inherit}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--card);padding:4px 8px}
.indicator{border-radius:8px;padding:14px 18px;color:#fff;font-weight:600;font-size:1.1rem;margin:0}
.ind-none{background:var(--ok)}.ind-minor{background:var(--minor)}.ind-major{background:var(--major)}.ind-critical{background:var(--critical)}
.ind-maint{background:var(--maint)}
section{margin-top:28px}
h2{font-size:1.1rem;margin:0 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px}
details.group{margin-bottom:12px}
details.group>summary{display:flex;justify-content:space-between;align-items:center;gap:12px;padding:12px 16px;cursor:pointer;list-style:none;font-weight:600}
details.group>summary::-webkit-details-marker{display:none}
details.group>summary::before{content:"\\25B8";margin-right:8px;color:var(--muted)}
details.group[open]>summary::before{content:"\\25BE"}
details.group>summary .gname{flex:1}
ul.components{list-style:none;margin:0;padding:0 16px 8px}
li.component{border-top:1px solid var(--line);padding:12px 0}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:12px}
h3{font-size:1rem;margin:0;font-weight:600}
.st{font-size:.9rem;font-weight:600;white-space:nowrap}
.st-operational{color:var(--ok)}.st-degraded_performance{color:var(--minor)}.st-partial_outage{color:var(--major)}
.st-major_outage{color:var(--critical)}.st-under_maintenance{color:var(--maint)}
.reasons{margin:2px 0 0;color:var(--muted);font-size:.88rem}
/* 90 cells must fit a 390 px phone: cells may shrink to nothing (min-width:0), gaps are 1 px until there is room. */
.bar{display:flex;gap:1px;height:30px;margin-top:8px;overflow:hidden}
.bar span{flex:1 1 0;border-radius:1px;background:var(--none);min-width:0}
@media (min-width:600px){.bar{gap:2px}.bar span{border-radius:2px}}
.bar span:hover{opacity:.7}
.d-operational{background:var(--ok)!important}.d-degraded_performance{background:var(--minor)!important}
.d-partial_outage{background:var(--major)!important}.d-major_outage{background:var(--critical)!important}
.d-under_maintenance{background:var(--maint)!important}
.legend{display:flex;justify-content:space-between;color:var(--muted);font-size:.8rem;margin-top:4px}
.incident{padding:14px 16px;margin-bottom:10px}
.incident h3{margin-bottom:4px}
.incident ol{margin:6px 0 0;padding-left:18px;color:var(--muted);font-size:.9rem}
.impact-minor{border-left:4px solid var(--minor)}.impact-major{border-left:4px solid var(--major)}
.impact-critical{border-left:4px solid var(--critical)}.impact-none,.impact-maintenance{border-left:4px solid var(--maint)}
.empty{color:var(--muted);padding:14px 16px;margin:0}
footer{margin-top:32px;color:var(--muted);font-size:.85rem}
`;
