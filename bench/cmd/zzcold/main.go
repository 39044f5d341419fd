package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/load"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	spec, out := os.Args[1], os.Args[2]
	if len(os.Args) > 3 {
		f, _ := os.Create(os.Args[3])
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	t0, c0 := time.Now(), cpu()
	step := func(name string) {
		fmt.Fprintf(os.Stderr, "%-10s wall %6.1f ms cpu %6.1f ms\n", name, float64(time.Since(t0).Microseconds())/1000, float64((cpu()-c0).Microseconds())/1000)
		t0, c0 = time.Now(), cpu()
	}
	data, _ := load.ReadFile(spec)
	step("read")
	files, _, err := generator.Generate(context.Background(), generator.Input{Path: spec, Data: data}, generator.Options{Package: "client"})
	if err != nil {
		panic(err)
	}
	step("generate")
	generator.Check(out, files)
	step("check")
	if err := generator.Write(out, files); err != nil {
		panic(err)
	}
	step("write")
}
