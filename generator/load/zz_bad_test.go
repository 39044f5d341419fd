package load

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

const okHead = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"

func TestZZBad(t *testing.T) {
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		n := fmt.Sprintf("b%d", i)
		bomb += fmt.Sprintf("%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	cases := map[string]string{
		"syntax":   "openapi: 3.0.3\ninfo: [a, b\npaths: {}\n",
		"truncjson": `{"openapi": "3.0.3", "info": {"title": "t",`,
		"empty":    "",
		"comments": "# nothing\n",
		"nonoas":   "name: x\nversion: 2\n",
		"binary":   "\x00\x01\x02garbage",
		"latin1":   "openapi: 3.0.3\ninfo: {title: caf\xe9}\n",
		"cycle":    "openapi: 3.0.3\ninfo: &x {title: t, self: *x}\n",
		"bomb":     "openapi: 3.0.3\n" + bomb,
		"deepjson": strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		"deepyaml": "openapi: 3.0.3\nx:\n" + func() string { s := ""; for i := 0; i < 1200; i++ { s += strings.Repeat(" ", i+1) + "- \n" }; return s }(),
		"deepflow": "openapi: 3.0.3\nx: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000) + "\n",
		"usedref":  okHead + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n",
		"escape":   okHead + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '../../../../etc/passwd'\n",
		"abs":      okHead + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '/etc/passwd'\n",
		"remote":   okHead + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: 'https://example.com/r.yaml#/R'\n",
		"dupop":    okHead + "paths:\n  /a:\n    get:\n      operationId: x\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      operationId: x\n      responses: {'200': {description: ok}}\n",
		"typefoo":  okHead + "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: foo\n",
		"pathslist": okHead + "paths:\n  - /a\n",
		"v4":       "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
		"scalar":   "just a string\n",
		"list":     "- a\n- b\n",
		"multidoc": okHead + "paths: {}\n---\nx: 1\n",
		"collide":  okHead + "paths:\n  a: {}\n  /a: {}\n",
		"swagger3": "swagger: '3.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
		"dupkey":   okHead + "paths: {}\npaths: {}\n",
		"badparam": okHead + "paths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
		"noinfo":   "openapi: 3.0.3\npaths: {}\n",
	}
	for name, c := range cases {
		t0 := time.Now()
		doc, err := Data(context.Background(), "/tmp/explore/ref/spec.yaml", []byte(c), Options{})
		fmt.Printf("== %s (%v)\n", name, time.Since(t0))
		if err != nil {
			fmt.Printf("   ERR %T: %v\n", err, err)
		}
		if doc != nil {
			for _, d := range doc.Diagnostics {
				fmt.Println("   W", d.String())
			}
		}
	}
}
