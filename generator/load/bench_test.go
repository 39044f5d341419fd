package load

import (
	"context"
	"os"
	"testing"
)

func benchLoad(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("no %s: %v", path, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Data(context.Background(), path, data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadKIIEX times the load phase of the KIIEX spec alone.
func BenchmarkLoadKIIEX(b *testing.B) { benchLoad(b, "../../spec/kiiex.yaml") }

// BenchmarkLoadTwilio times the load phase of Twilio's 1.9 MB JSON spec.
func BenchmarkLoadTwilio(b *testing.B) {
	benchLoad(b, "../../../shared/specs/large/twilio_api_v2010.json")
}

// BenchmarkParseKIIEX compares the whole and the split parse of KIIEX's
// YAML.
func BenchmarkParseKIIEX(b *testing.B) {
	data, err := os.ReadFile("../../spec/kiiex.yaml")
	if err != nil {
		b.Skip(err)
	}
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			if _, err := parseYAMLWhole(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("split", func(b *testing.B) {
		for b.Loop() {
			if parseYAMLSplit(data, 4, 2) == nil {
				b.Fatal("not split")
			}
		}
	})
}

// BenchmarkParseFileKIIEX times parseFile (parse, checks, index) alone.
func BenchmarkParseFileKIIEX(b *testing.B) {
	data, err := os.ReadFile("../../spec/kiiex.yaml")
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseFile(&reporter{}, "kiiex.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseFileTwilio times parseFile on Twilio's JSON spec.
func BenchmarkParseFileTwilio(b *testing.B) {
	data, err := os.ReadFile("../../../shared/specs/large/twilio_api_v2010.json")
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseFile(&reporter{}, "twilio.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKinTreeTwilio times kinTree on one core.
func BenchmarkKinTreeTwilio(b *testing.B) {
	data, err := os.ReadFile("../../../shared/specs/large/twilio_api_v2010.json")
	if err != nil {
		b.Skip(err)
	}
	p, err := parseFile(&reporter{}, "twilio.json", data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		kinTreeN(p, 1, 0)
	}
}
