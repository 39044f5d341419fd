package load

import (
	"context"
	"fmt"
	"testing"
)

func TestZZMore(t *testing.T) {
	cases := map[string]string{
		"swagger": `swagger: "2.0"
info: {title: t, version: "1"}
host: api.example.com
basePath: /v1
paths:
  pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, type: integer}
      responses:
        "200":
          description: ok
          schema: {$ref: '#/definitions/Pet'}
definitions:
  Pet:
    type: object
    properties:
      name: {type: string, required: true}
      tag: {type: strin}
`,
		"v31": `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  a: {type: [string, "null"]}
                  b: {const: 3}
                  c: {type: integer, nullable: true}
                  d: {type: string, examples: [x, y]}
`,
		"v30fix": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                f: {type: file}
                a: {type: [string, "null"]}
                n: {type: integer, enum: ["1", "2"]}
                s: {type: string, enum: [1, true]}
                b: {type: boolean, enum: ["true", "false"]}
      responses:
        "200": {description: ok}
`,
		"ext": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: 'sub/common.yaml#/components/schemas/Thing'}
  /b:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: 'sub/missing.yaml#/X'}
`,
		"valid": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a/{id}:
    get:
      operationId: getA
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
              example: {name: x}
components:
  schemas:
    A:
      type: object
      required: [name]
      properties:
        name: {type: string}
`,
	}
	for name, c := range cases {
		doc, err := Data(context.Background(), "/tmp/explore/ref/spec.yaml", []byte(c), Options{})
		fmt.Printf("== %s\n", name)
		if err != nil {
			fmt.Printf("   ERR %T: %v\n", err, err)
		}
		if doc != nil {
			for _, d := range doc.Diagnostics {
				fmt.Println("   W", d.Kind, d.String())
			}
			b, _ := doc.Doc.MarshalJSON()
			if len(b) > 1500 {
				b = b[:1500]
			}
			fmt.Println("  ", string(b))
		}
	}
}
