# usage: add-reasons.py REPORT.json NEW.json  -> appends entries to reasons.json
# NEW.json: [{"place":"file:line:col","mutator":..,"replacement":..,"kind":..,"reason":..}]
import json, sys
rep = json.load(open(sys.argv[1])); new = json.load(open(sys.argv[2]))
reasons = json.load(open('/work/notes/reasons.json'))
for n in new:
    file, line, col = n['place'].rsplit(':', 2); line = int(line); col = int(col)
    f = rep['files'][file]; lines = f['source'].split('\n')
    ms = [m for m in f['mutants'] if m['location']['start']['line'] == line and m['location']['start']['column'] == col and m['mutatorName'] == n['mutator'] and m['replacement'] == n['replacement']]
    assert len(ms) >= 1, n['place']
    m = ms[0]; s, e = m['location']['start'], m['location']['end']
    mutated = lines[s['line']-1][:s['column']-1] + m['replacement'] + lines[e['line']-1][e['column']-1:]
    reasons.append({'file': file, 'mutator': n['mutator'], 'original': lines[line-1].strip(), 'replacement': n['replacement'], 'mutated': mutated.strip(), 'oldPlace': f'{line}:{col}', 'kind': n['kind'], 'reason': n['reason']})
json.dump(reasons, open('/work/notes/reasons.json', 'w'), indent=1, ensure_ascii=False)
print(len(reasons))
