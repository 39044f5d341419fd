package load

import (
	"runtime"
	"slices"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// kin-openapi's decoder fills the model from the node tree on one core.
// Its UnmarshalYAML methods each decode the node they are given with a
// decoder of their own (no state passes between them), so the large parts
// of a document, the path items and the component schemas, decode as well
// on their own: decodeRoot decodes them concurrently, in chunks of
// entries, and the rest of the document with those sections left empty,
// then puts the parts in their places. The model is the one tree.Decode
// makes (TestParallelDecodeSameAsWhole); a document that fails to decode
// is decoded again from its text by the caller, so which part failed
// first does not matter.

// decodeSplitMin is the fewest lines of the emitted document decoded in
// parts: below it the goroutines cost more than they save.
const decodeSplitMin = 2000

// job is a part of some work that runs on a goroutine of its own; weight
// is its size (lines, elements) in some unit that orders the jobs.
type job struct {
	weight int
	run    func() error
}

// decodeRoot decodes tree (the document node kinTree built) into doc.
func decodeRoot(tree *yaml.Node, doc *openapi3.T) error {
	return decodeRootN(tree, doc, runtime.GOMAXPROCS(0), decodeSplitMin)
}

// decodeRootN decodes on up to procs goroutines, a document of at least
// minLines lines, in chunks of at least a quarter of that.
func decodeRootN(tree *yaml.Node, doc *openapi3.T, procs, minLines int) error {
	if procs < 2 || tree.Kind != yaml.DocumentNode || len(tree.Content) != 1 {
		return tree.Decode(doc)
	}
	root := tree.Content[0]
	if root.Kind != yaml.MappingNode || len(root.Content) < 2 {
		return tree.Decode(doc)
	}
	total := lastLine(root) - root.Line + 1
	if total < minLines {
		return tree.Decode(doc)
	}
	target := max(total/(2*procs), minLines/4)
	stub := *root
	stub.Content = slices.Clone(root.Content)
	var jobs []job
	var after []func()
	for i := 0; i+1 < len(stub.Content); i += 2 {
		k, v := stub.Content[i], stub.Content[i+1]
		if v.Kind != yaml.MappingNode || len(v.Content) == 0 {
			continue
		}
		switch k.Value {
		case "paths":
			chunks := chunkMapping(v, target)
			parts := make([]*openapi3.Paths, len(chunks))
			for j, c := range chunks {
				jobs = append(jobs, job{weight: c.weight, run: func() error {
					parts[j] = &openapi3.Paths{}
					return c.node.Decode(parts[j])
				}})
			}
			stub.Content[i+1] = emptyMapping(v)
			after = append(after, func() {
				paths := parts[0]
				for _, p := range parts[1:] {
					for name, item := range p.Map() {
						paths.Set(name, item)
					}
					for name, x := range p.Extensions {
						paths.Extensions[name] = x
					}
				}
				doc.Paths = paths
			})
		case "components":
			comps := &openapi3.Components{}
			cstub := *v
			cstub.Content = slices.Clone(v.Content)
			var schemas []openapi3.Schemas
			for j := 0; j+1 < len(cstub.Content); j += 2 {
				sk, sv := cstub.Content[j], cstub.Content[j+1]
				if sk.Value != "schemas" || sv.Kind != yaml.MappingNode || len(sv.Content) == 0 {
					continue
				}
				chunks := chunkMapping(sv, target)
				schemas = make([]openapi3.Schemas, len(chunks))
				for c, chunk := range chunks {
					jobs = append(jobs, job{weight: chunk.weight, run: func() error {
						return chunk.node.Decode(&schemas[c])
					}})
				}
				cstub.Content[j+1] = emptyMapping(sv)
			}
			jobs = append(jobs, job{weight: lastLine(v) - v.Line + 1 - weightOf(jobs, schemas), run: func() error {
				return cstub.Decode(comps)
			}})
			stub.Content[i+1] = emptyMapping(v)
			after = append(after, func() {
				if schemas != nil {
					all := schemas[0]
					for _, s := range schemas[1:] {
						for name, r := range s {
							all[name] = r
						}
					}
					comps.Schemas = all
				}
				doc.Components = comps
			})
		}
	}
	if len(jobs) == 0 {
		return tree.Decode(doc)
	}
	jobs = append(jobs, job{weight: 1, run: func() error { return stub.Decode(doc) }})
	if err := runJobs(jobs, procs); err != nil {
		return err
	}
	for _, f := range after {
		f()
	}
	return nil
}

// weightOf is the weight of the schema chunks among jobs (the last ones
// added), so that the components job counts what is left.
func weightOf(jobs []job, schemas []openapi3.Schemas) int {
	w := 0
	for _, j := range jobs[len(jobs)-len(schemas):] {
		w += j.weight
	}
	return w
}

// runJobs runs the jobs on up to procs goroutines, the heaviest first,
// and returns the error of the first job (in order) that failed. A job
// that panics does so again in the caller once all are done, where Data
// turns it into an internal error as for any panic of a load.
func runJobs(jobs []job, procs int) error {
	order := make([]int, len(jobs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return jobs[b].weight - jobs[a].weight })
	errs := make([]error, len(jobs))
	panics := make([]any, len(jobs))
	var mu sync.Mutex
	next := 0
	run := func(i int) {
		defer func() {
			if r := recover(); r != nil {
				panics[i] = r
			}
		}()
		errs[i] = jobs[i].run()
	}
	work := func() {
		for {
			mu.Lock()
			if next == len(order) {
				mu.Unlock()
				return
			}
			i := order[next]
			next++
			mu.Unlock()
			run(i)
		}
	}
	var wg sync.WaitGroup
	for range min(procs, len(jobs)) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
	for _, r := range panics {
		if r != nil {
			panic(r)
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// chunk is a mapping of some of the entries of a larger one.
type chunk struct {
	node   *yaml.Node
	weight int
}

// chunkMapping cuts a mapping's entries into mappings of about target
// lines each (kinTree puts every entry and item on a line of its own).
func chunkMapping(m *yaml.Node, target int) []chunk {
	var out []chunk
	start := 0
	for i := 0; i+1 < len(m.Content); i += 2 {
		end := i + 2
		var endLine int
		if end < len(m.Content) {
			endLine = m.Content[end].Line
		} else {
			endLine = lastLine(m) + 1
		}
		w := endLine - m.Content[start].Line
		if w >= target || end == len(m.Content) {
			c := *m
			c.Content = m.Content[start:end:end]
			out = append(out, chunk{node: &c, weight: w})
			start = end
		}
	}
	return out
}

// emptyMapping is m without entries.
func emptyMapping(m *yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: m.Kind, Style: m.Style, Tag: m.Tag, Line: m.Line, Column: m.Column}
}

// lastLine is the line of the last node under n.
func lastLine(n *yaml.Node) int {
	for len(n.Content) > 0 {
		n = n.Content[len(n.Content)-1]
	}
	return n.Line
}
