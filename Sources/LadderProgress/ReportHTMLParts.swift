import Foundation
import LadderCore

/// The HTML report's fixed parts: the SVG charts, the style sheet and the script.
extension HTMLReportWriter {
    func esc(_ s: String) -> String { HTML.escape(s) }

    /// A vertical bar chart: one bar per label.
    static func barChart(title: String, bars: [(label: String, value: Int, accent: Int)], id: String) -> String {
        let w = 560, h = 250, left = 44, bottom = 36, top = 40
        // A multiple of 4, so the four gridlines carry whole numbers.
        let maxV = max(4, ((bars.map(\.value).max() ?? 1) + 3) / 4 * 4)
        let slot = bars.isEmpty ? 0 : (w - left - 16) / bars.count
        var s = "<svg id=\"\(id)\" class=\"chart\" role=\"img\" aria-label=\"\(HTML.escape(title))\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<title>\(HTML.escape(title))</title><text x=\"\(left)\" y=\"18\" class=\"ct\">\(HTML.escape(title))</text>"
        let plotH = h - bottom - top
        for t in 0...4 {
            let y = top + plotH - plotH * t / 4
            s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(w - 8)\" y2=\"\(y)\" class=\"grid\"/>"
            s += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" class=\"ax\">\(maxV * t / 4)</text>"
        }
        for (i, b) in bars.enumerated() {
            let x = left + i * slot + slot / 6
            let bw = max(4, slot * 2 / 3)
            let bh = plotH * b.value / maxV
            let ah = plotH * min(b.accent, b.value) / maxV
            s += "<rect x=\"\(x)\" y=\"\(top + plotH - bh)\" width=\"\(bw)\" height=\"\(bh)\" class=\"bar\"><title>\(HTML.escape(b.label)): \(b.value)</title></rect>"
            if ah > 0 { s += "<rect x=\"\(x)\" y=\"\(top + plotH - ah)\" width=\"\(bw)\" height=\"\(ah)\" class=\"bar2\"/>" }
            s += "<text x=\"\(x + bw / 2)\" y=\"\(top + plotH - bh - 4)\" text-anchor=\"middle\" class=\"val\">\(b.value)</text>"
            s += "<text x=\"\(x + bw / 2)\" y=\"\(h - bottom + 16)\" text-anchor=\"middle\" class=\"ax\">\(HTML.escape(b.label))</text>"
        }
        return s + "</svg>"
    }

    /// The funnel: per level, a bar for learners who started and, inside it, those who reached it.
    static func funnelChart(_ f: [Cohort.FunnelStep], total: Int) -> String {
        let w = 560, row = 34, top = 30, left = 60
        let h = top + row * max(1, f.count) + 10
        let maxV = max(1, total, f.map(\.started).max() ?? 1)
        let plotW = w - left - 90
        var s = "<svg id=\"funnel\" class=\"chart\" role=\"img\" aria-label=\"Funnel across levels\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" xmlns=\"http://www.w3.org/2000/svg\">"
        s += "<title>Funnel across levels</title><text x=\"\(left)\" y=\"18\" class=\"ct\">Funnel: started and reached per level</text>"
        for (i, step) in f.enumerated() {
            let y = top + i * row
            let sw = plotW * step.started / maxV
            let cw = plotW * step.completed / maxV
            let x0 = left + (plotW - sw) / 2
            s += "<text x=\"\(left - 8)\" y=\"\(y + 19)\" text-anchor=\"end\" class=\"ax\">\(HTML.escape(step.level))</text>"
            s += "<rect x=\"\(x0)\" y=\"\(y + 4)\" width=\"\(max(sw, 1))\" height=\"\(row - 8)\" class=\"bar\"><title>\(HTML.escape(step.level)) started: \(step.started)</title></rect>"
            s += "<rect x=\"\(left + (plotW - cw) / 2)\" y=\"\(y + 10)\" width=\"\(cw)\" height=\"\(row - 20)\" class=\"bar2\"><title>\(HTML.escape(step.level)) reached: \(step.completed)</title></rect>"
            s += "<text x=\"\(left + plotW + 8)\" y=\"\(y + 19)\" class=\"val\">\(step.completed) / \(step.started)</text>"
        }
        return s + "</svg>"
    }

    static func meter(_ pct: Int) -> String {
        "<svg class=\"meter\" viewBox=\"0 0 100 10\" width=\"100\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"100\" height=\"10\" class=\"mbg\"/><rect width=\"\(max(0, min(100, pct)))\" height=\"10\" class=\"bar2\"/></svg>"
    }

    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330;line-height:1.45}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d6dae3;padding-bottom:.2rem}h3{font-size:1rem;margin:.8rem 0 .2rem}
        .sub{color:#5b6475;margin-top:0}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.chart{max-width:100%;height:auto;background:#fafbfd;border:1px solid #e3e6ee;border-radius:6px}
        .ct{font-size:14px;font-weight:600;fill:#1d2330}.ax{font-size:12px;fill:#5b6475}.val{font-size:12px;fill:#1d2330}.grid{stroke:#e3e6ee}
        .bar{fill:#9db7e8}.bar2{fill:#2f6fdb}.mbg{fill:#e3e6ee}.names{columns:16rem 3;margin:.2rem 0;padding-left:1.2rem}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ee;vertical-align:top}
        th{background:#f2f4f8}th[data-k] button{font:inherit;font-weight:700;color:inherit;background:none;border:0;padding:.2rem 0;min-height:24px;cursor:pointer;text-align:left}th[data-k] button:focus-visible,.pager button:focus-visible{outline:3px solid #2f6fdb;outline-offset:2px}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
        .nw{white-space:nowrap}.ready{color:#11703a;font-weight:600}.stalled{color:#a3261b;font-weight:600}.miss,.detail{color:#5b6475;font-size:.85em;font-weight:400}
        .controls{display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;margin:.5rem 0}.controls input[type=search]{min-width:16rem;padding:.3rem}.pager{margin:.6rem 0}
        .legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
        @media print{body{margin:0;max-width:none}.chart{break-inside:avoid}tr{break-inside:avoid}h2{break-after:avoid}.controls,.pager{display:none}}
        """

    /// Filter, sort and page the rows; the state lives in the address (`#q=…&level=…&sort=…`)
    /// so a filtered view can be bookmarked. Text goes in through `textContent` only.
    static let script = """
        (function(){"use strict";
        var $=function(id){return document.getElementById(id);};
        var rows=JSON.parse($("ladder-rows").textContent),items=JSON.parse($("ladder-items").textContent);
        var levels=JSON.parse($("ladder-levels").textContent),rank={};levels.forEach(function(l,i){rank[l]=i;});
        var body=document.querySelector("#learners tbody"),per=100,page=0,sortKey="name",dir=1,view=rows;
        function label(r){return r[1]&&r[1]!==r[0]?r[1]+" ("+r[0]+")":r[0];}
        function dur(s){if(s===null)return "unknown";var h=Math.floor(s/3600),m=Math.floor(s%3600/60);return h>0?h+"h "+m+"m":m+"m";}
        function lv(l){return l===null?-1:(l in rank?rank[l]:levels.length);}
        function key(r,k){switch(k){case "current":return lv(r[3]);case "reached":return lv(r[4]);case "pct":return r[12]===null?101:r[12];
          case "verdict":return r[8];case "time":return r[9]===null?-1:r[9];case "last":return r[10]||"";default:return (r[1]||r[0]).toLowerCase();}}
        function text(r){if(r.t===undefined)r.t=[r[0],r[1],r[2],r[3],r[7],r[8]].join(" ").toLowerCase();return r.t;}
        function apply(keepPage){var q=$("q").value.trim().toLowerCase(),l=$("lv").value,ro=$("ready-only").checked,so=$("stalled-only").checked;
          var v=rows.filter(function(r){return (!l||r[7]===l)&&(!ro||r[6]!==null)&&(!so||r[11]===1)&&(!q||text(r).indexOf(q)>=0);});
          var d=v.map(function(r){return [key(r,sortKey),r];});
          d.sort(function(a,b){return a[0]<b[0]?-dir:a[0]>b[0]?dir:(a[1][0]<b[1][0]?-1:a[1][0]>b[1][0]?1:0);});
          view=d.map(function(x){return x[1];});if(!keepPage)page=0;page=Math.max(0,Math.min(page,Math.ceil(view.length/per)-1));draw();save();}
        function cell(tr,t,c){var td=document.createElement("td");td.textContent=t;if(c)td.className=c;tr.appendChild(td);return td;}
        function detail(r){return r[14].map(function(d){var s=d[0]+": "+d[1]+" of "+d[2]+" done, time "+dur(d[3]);
          d[4].forEach(function(a){s+="; "+items[a[0]]+": "+(a[4]?"passed":"not passed")+(a[1]===null?"":", best "+a[1]+"%")+(a[2]===null?"":" (mastery "+a[2]+"%)")+", "+a[3]+" attempt"+(a[3]===1?"":"s");});
          d[5].forEach(function(x){s+="; "+items[x[0]]+": signed off by "+(x[1]||"(no observer recorded)")+" on "+(x[2]||"(no date recorded)");});return s;}).join(" | ");}
        function draw(){body.textContent="";var start=page*per,end=Math.min(view.length,start+per);
          for(var i=start;i<end;i++){var r=view[i],tr=document.createElement("tr"),td=cell(tr,label(r));
            if(r[13].length){var m=document.createElement("div");m.className="miss";m.textContent="Missing for "+r[5]+": "+r[13].map(function(x){return items[x];}).join("; ");td.appendChild(m);}
            if(r.length>14&&r[14].length){var dd=document.createElement("div");dd.className="detail";dd.textContent=detail(r);td.appendChild(dd);}
            cell(tr,r[3]===null?"unknown":r[3]);cell(tr,r[4]===null?"none":r[4]);cell(tr,r[5]===null?"top reached":r[5]+" "+r[12]+"%","nw");
            cell(tr,r[8]+(r[11]?" · stalled":""),r[6]!==null?"ready":(r[11]?"stalled":""));cell(tr,dur(r[9]),"nw");cell(tr,r[10]===null?"none":r[10],"nw");
            body.appendChild(tr);}
          $("count").textContent=view.length+" of "+rows.length+" learners";
          $("page").textContent=view.length?"Page "+(page+1)+" of "+Math.ceil(view.length/per):"No learner matches";
          $("prev").disabled=page===0;$("next").disabled=end>=view.length;
          Array.prototype.forEach.call(document.querySelectorAll("#learners th"),function(th){
            if(th.dataset.k===sortKey)th.setAttribute("aria-sort",dir>0?"ascending":"descending");else th.removeAttribute("aria-sort");});}
        function save(){var p=new URLSearchParams();if($("q").value)p.set("q",$("q").value);if($("lv").value)p.set("level",$("lv").value);
          if($("ready-only").checked)p.set("ready","1");if($("stalled-only").checked)p.set("stalled","1");
          if(sortKey!=="name"||dir<0){p.set("sort",sortKey);p.set("dir",dir>0?"up":"down");}if(page)p.set("page",String(page+1));
          try{history.replaceState(null,"",p.toString()?"#"+p.toString():location.pathname+location.search);}catch(e){}}
        var p=new URLSearchParams(location.hash.slice(1));$("q").value=p.get("q")||"";$("lv").value=p.get("level")||"";
        $("ready-only").checked=p.get("ready")==="1";$("stalled-only").checked=p.get("stalled")==="1";
        sortKey=p.get("sort")||"name";dir=p.get("dir")==="down"?-1:1;page=Math.max(0,(parseInt(p.get("page"),10)||1)-1);
        $("q").addEventListener("input",function(){apply(false);});["lv","ready-only","stalled-only"].forEach(function(id){$(id).addEventListener("change",function(){apply(false);});});
        $("prev").addEventListener("click",function(){page--;draw();save();});$("next").addEventListener("click",function(){page++;draw();save();});
        Array.prototype.forEach.call(document.querySelectorAll("#learners th[data-k]"),function(th){th.querySelector("button").addEventListener("click",function(){
          if(sortKey===th.dataset.k)dir=-dir;else{sortKey=th.dataset.k;dir=1;}apply(false);});});
        apply(true);})();
        """
}
