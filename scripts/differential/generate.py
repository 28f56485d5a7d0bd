"""Random templates for differential testing against a reference renderer.

    differential/generate.py SEED [--safe]

Prints one template built from the language's constructs (if/else if,
range with declarations, else, break/continue, with, variables declared
and assigned, pipelines, parentheses, trim markers, comments) and calls of
built-ins and consul-template functions on literals, fields of dot and
variables. Most unrestricted templates fail to execute (type errors), which
is still a comparison (both must fail); --safe draws only arguments that
mostly render.
"""
import random, sys
R = random.Random(int(sys.argv[1]))
SAFE = '--safe' in sys.argv[2:]
lits = ['1','0','-3','2.5','"a"','""','"b,c"','true','false','nil','0x10','1e3',"'x'",'`raw`']
fields = ['.Name','.ID','.Port','.Tags','.Address','.Weights.Passing','.ServiceMeta','.Status','.Node','.NodeMeta','.Checks']
funcs1 = ['len','print','println','not','html','js','urlquery','toJSON','toLower','toUpper','trimSpace','base64Encode','parseInt','parseBool','toTitle','sha256Hex']
funcs2 = ['eq','ne','lt','le','gt','ge','and','or','index','printf','add','subtract','multiply','contains','split','join','in','replaceAll','trimPrefix','trimSuffix','regexMatch','slice']
if SAFE:
    lits = ['"a"', '""', '"b,c"', '"x y"', '1', 'true', '"%v"', '"<&>"', '"\\u00e9"', '.Name']
    funcs1 = ['len', 'print', 'println', 'not', 'html', 'js', 'urlquery', 'toJSON', 'toLower', 'toUpper', 'trimSpace', 'toTitle']
    funcs2 = ['eq', 'ne', 'and', 'or', 'printf', 'contains', 'replaceAll', 'trimPrefix', 'trimSuffix', 'print', 'println', 'split']
vars_ = []
def arg(d):
    r = R.random()
    if d > 2 or r < 0.35: return R.choice(lits)
    if r < 0.5: return R.choice(['.', '$'] + vars_) if vars_ or R.random()<0.5 else '.'
    if r < 0.65: return R.choice(fields)
    return '(' + pipe(d+1) + ')'
def cmd(d):
    r = R.random()
    if r < 0.3: return R.choice(funcs1) + ' ' + arg(d)
    if r < 0.7: return R.choice(funcs2) + ' ' + arg(d) + ' ' + arg(d)
    if r < 0.8: return 'printf "%v-%s|%d" ' + arg(d) + ' ' + arg(d) + ' ' + arg(d)
    return arg(d)
def pipe(d):
    p = cmd(d)
    while R.random() < 0.25 and d < 3:
        p += ' | ' + R.choice(funcs1 + ['printf "%v"', 'print "x"', 'contains "a"', 'split ","', 'join ","', 'eq 1'])
    return p
def block(d):
    out = []
    for _ in range(R.randint(1, 3)):
        r = R.random()
        if d > 3 or r < 0.3:
            out.append(R.choice(['x', ' ', '\n', 'y\n', '{{- " " -}}', '{{/* c */}}']) )
        elif r < 0.45:
            out.append('{{ ' + pipe(d) + ' }}')
        elif r < 0.55:
            v = '$v%d' % R.randint(0, 3)
            if v in vars_ and R.random() < 0.5:
                out.append('{{ %s = %s }}' % (v, pipe(d)))
            else:
                vars_.append(v); out.append('{{ %s := %s }}' % (v, pipe(d)))
        elif r < 0.68:
            out.append('{{ if %s }}%s{{ else if %s }}%s{{ else }}%s{{ end }}' % (pipe(d), block(d+1), pipe(d), block(d+1), block(d+1)))
        elif r < 0.82:
            src = R.choice(['service "web"', 'services', 'ls "app"', 'tree "app"', '(split "," "p,q")', '3', '(parseJSON `{"m":1,"a":[1,2]}`)', 'nodes', '.Tags', '.ServiceMeta', '(service "web" | byTag)'])
            decl = R.choice(['', '$i, $e := ', '$e := '])
            saved = list(vars_)
            if '$i' in decl: vars_.extend(['$i','$e'])
            elif decl: vars_.append('$e')
            body = block(d+1)
            if R.random() < 0.2: body += '{{ if eq 1 1 }}{{ %s }}{{ end }}' % R.choice(['break','continue'])
            vars_[:] = saved
            out.append('{{ range %s%s }}%s{{ else }}%s{{ end }}' % (decl, src, body, block(d+1)))
        else:
            out.append('{{ with %s }}%s{{ else }}%s{{ end }}' % (pipe(d), block(d+1), block(d+1)))
    return ''.join(out)
print(block(0))
