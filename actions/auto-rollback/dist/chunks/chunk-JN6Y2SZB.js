const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{appendStepSummary}from"./chunk-AYW4H6X2.js";import{redact}from"./chunk-NMOGANDM.js";var icons={pass:"✅",fail:"❌",warn:"⚠️",skip:"⏭️",info:"ℹ️"};function statusLabel(status){return`${icons[status]} ${status}`}function statusIcon(status){return icons[status]}function escapeCell(text){return text.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/\|/g,"\\|").replace(/\r?\n/g,"<br>")}function markdownTable(headers,rows){let line=cells=>`| ${cells.map(cell=>escapeCell(redact(String(cell)))).join(" | ")} |`;return[line(headers),`| ${headers.map(()=>"---").join(" | ")} |`,...rows.map(row=>line(row))].join(`
`)}function details(title,body){return`<details><summary>${escapeCell(title)}</summary>

${body}

</details>`}function codeBlock(text,language=""){let longestRun=Math.max(2,...[...text.matchAll(/`+/g)].map(match=>match[0].length)),fence="`".repeat(longestRun+1);return`${fence}${language}
${redact(text)}
${fence}`}function mermaidLineChart(title,xLabels,yLabel,series){let quoted=xLabels.map(label=>JSON.stringify(label.replace(/"/g,"'"))),lines=["```mermaid","xychart-beta",`  title ${JSON.stringify(title)}`,`  x-axis [${quoted.join(", ")}]`,`  y-axis ${JSON.stringify(yLabel)}`];for(let line of series)lines.push(`  line [${line.values.map(value=>formatChartValue(value)).join(", ")}]`);lines.push("```");let names=series.map((line,index)=>`line ${index+1}: ${line.name}`).join(", "),gaps=series.some(line=>line.values.some(value=>value===null))?" Values not measured are drawn as 0.":"";return`${lines.join(`
`)}

_${names}._${gaps}`}function formatChartValue(value){return value===null||!Number.isFinite(value)?"0":String(Math.round(value*1e3)/1e3)}async function appendSummary(markdown){appendStepSummary(redact(markdown))}export{statusLabel,statusIcon,escapeCell,markdownTable,details,codeBlock,mermaidLineChart,appendSummary};
