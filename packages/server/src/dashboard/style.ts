/**
 * The dashboard's one stylesheet, inline under the response's CSP nonce: no asset leaves the
 * server. Light by default, dark when the system says so; every colour pair meets WCAG AA
 * contrast, focus is always visible, and no state is told by colour alone (badges carry text).
 */
export const STYLE = `
:root{color-scheme:light dark;--fg:#1a1a1a;--muted:#4d4d4d;--bg:#f6f7f9;--card:#fff;--line:#c9ccd1;
--accent:#9c1f24;--on-accent:#fff;--ok-bg:#dcf2e3;--ok-fg:#11522a;--warn-bg:#fde8c8;--warn-fg:#6b3b00;
--bad-bg:#fbdcdc;--bad-fg:#8a1111;--info-bg:#dde8fb;--info-fg:#173f85;--focus:#1a56db;--bar:#3d6fd0;--bar2:#c0392b}
@media (prefers-color-scheme:dark){:root{--fg:#eceff3;--muted:#b8bdc6;--bg:#15171b;--card:#1f2228;--line:#454a53;
--accent:#f08a8e;--on-accent:#15171b;--ok-bg:#17402a;--ok-fg:#b9f0cc;--warn-bg:#4a3210;--warn-fg:#ffdca8;
--bad-bg:#4d1c1c;--bad-fg:#ffc4c4;--info-bg:#1c2d4d;--info-fg:#c7dafd;--focus:#8ab4ff;--bar:#7fa6f5;--bar2:#f08080}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--fg);text-underline-offset:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem;z-index:1}
.skip:focus{left:.5rem}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.75rem 1.25rem;background:var(--card);border-bottom:1px solid var(--line)}
header .brand{font-weight:700;margin-right:auto}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
main{max-width:72rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
section.card,form.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;background:var(--card);margin:0 0 1rem}
.grid input,.grid select{width:100%}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600}
caption{text-align:left;font-weight:600;padding:.25rem 0}
code,.mono{font-family:ui-monospace,monospace;font-size:.9em;word-break:break-all}
label{display:block;font-weight:600;margin:.25rem 0}
input,select{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:6px;padding:.35rem .5rem;min-width:10rem}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end}
button,.button{font:inherit;display:inline-block;padding:.45rem 1rem;border:1px solid var(--accent);border-radius:6px;background:var(--accent);color:var(--on-accent);cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:transparent;color:var(--fg);border-color:var(--muted)}
.badge{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.85em;font-weight:600;white-space:nowrap}
.ok{background:var(--ok-bg);color:var(--ok-fg)}.warn{background:var(--warn-bg);color:var(--warn-fg)}
.bad{background:var(--bad-bg);color:var(--bad-fg)}.info{background:var(--info-bg);color:var(--info-fg)}
.notice{border-left:4px solid var(--focus);background:var(--card);padding:.5rem 1rem;margin:0 0 1rem}
.muted{color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}
ol.checks{padding-left:1.25rem}
svg text{fill:var(--fg);font-size:16px}
.card>h2:first-child{margin-top:0}
svg .bar{fill:var(--bar)}svg .bar2{fill:var(--bar2)}svg .axis{stroke:var(--line)}
.signin{max-width:24rem;margin:3rem auto}
.signin input{width:100%}
pre{white-space:pre-wrap;word-break:break-all;background:var(--bg);padding:.5rem;border-radius:6px}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
