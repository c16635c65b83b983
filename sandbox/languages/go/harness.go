// Tandem's function-style harness for Go (runs inside the box).
//
// stdin:  <nonce>\n<config json>\n<test count>\n<args json>\n...
// stdout: the candidate's prints, with frames "\x1e<nonce><kind>..." between them
//         (see sandbox/box/HarnessStream.ts for the kinds).
//
// tandem_entry.go (generated) sets tandemFunction to the candidate's function. Arguments are
// decoded into the function's own parameter types (int or int64, []int, map[string]int, *int
// for an optional) by encoding/json; the return value is encoded against the signature's type,
// so a nil slice is [] unless the type is optional.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
)

type tandemType struct {
	Kind string      `json:"kind"`
	Of   *tandemType `json:"of"`
}

type tandemConfig struct {
	Returns     *tandemType `json:"returns"`
	MemoryBytes int64       `json:"memoryBytes"`
}

var tandemNonce []byte

func tandemFrame(kind string, payload []byte) {
	line := make([]byte, 0, len(payload)+64)
	line = append(line, 0x1e)
	line = append(line, tandemNonce...)
	line = append(line, kind...)
	if payload != nil {
		line = append(line, ' ')
		line = append(line, payload...)
	}
	line = append(line, '\n')
	os.Stdout.Write(line)
}

func main() {
	input, _ := io.ReadAll(os.Stdin)
	lines := bytes.Split(input, []byte("\n"))
	if len(lines) < 3 {
		os.Exit(2)
	}
	tandemNonce = lines[0]
	var config tandemConfig
	if err := json.Unmarshal(lines[1], &config); err != nil {
		os.Exit(2)
	}
	count, _ := strconv.Atoi(strings.TrimSpace(string(lines[2])))
	if config.MemoryBytes > 0 {
		// A runaway recursion stops with "stack overflow" before the box runs out of memory,
		// and the collector works harder before the limit rather than after.
		debug.SetMaxStack(int(config.MemoryBytes / 2))
		debug.SetMemoryLimit(config.MemoryBytes * 3 / 4)
	}
	function := reflect.ValueOf(tandemFunction)
	for i := 0; i < count && 3+i < len(lines); i++ {
		tandemFrame("S"+strconv.Itoa(i), nil)
		kind, payload := tandemCall(function, lines[3+i], config.Returns)
		tandemFrame(kind+strconv.Itoa(i), payload)
	}
	tandemFrame("D", nil)
	os.Exit(0)
}

func tandemCall(function reflect.Value, line []byte, returns *tandemType) (kind string, payload []byte) {
	defer func() {
		if recovered := recover(); recovered != nil {
			kind = "E"
			payload = tandemError("panic: "+fmt.Sprint(recovered), tandemStack())
		}
	}()
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return "E", tandemError("cannot read the test's arguments: "+err.Error(), "")
	}
	signature := function.Type()
	if len(raw) != signature.NumIn() {
		message := fmt.Sprintf("the function takes %d arguments; the test has %d", signature.NumIn(), len(raw))
		return "E", tandemError(message, "")
	}
	args := make([]reflect.Value, len(raw))
	for i := range raw {
		value := reflect.New(signature.In(i))
		if err := json.Unmarshal(raw[i], value.Interface()); err != nil {
			return "E", tandemError(fmt.Sprintf("argument %d: %v", i+1, err), "")
		}
		args[i] = value.Elem()
	}
	results := function.Call(args)
	if len(results) == 0 {
		return "E", tandemError("the function returns nothing", "")
	}
	// func f(...) (T, error): a non-nil error is the test's error.
	if last := results[len(results)-1]; len(results) > 1 && last.Type().Implements(reflect.TypeOf((*error)(nil)).Elem()) {
		if !last.IsNil() {
			return "E", tandemError("error: "+last.Interface().(error).Error(), "")
		}
	}
	var out bytes.Buffer
	if err := tandemEncode(&out, results[0], returns); err != nil {
		return "E", tandemError(err.Error(), "")
	}
	return "R", out.Bytes()
}

func tandemError(message, stack string) []byte {
	body := map[string]string{"message": message}
	if stack != "" {
		body["stack"] = stack
	}
	out, _ := json.Marshal(body)
	return out
}

// tandemStack is the panicking goroutine's stack from the panic down to the harness's call.
func tandemStack() string {
	lines := strings.Split(string(debug.Stack()), "\n")
	start := 0
	for i, line := range lines {
		if strings.HasPrefix(line, "panic(") {
			start = i + 2
		}
	}
	kept := []string{"goroutine 1 [running]:"}
	for i := start; i+1 < len(lines); i += 2 {
		function := lines[i]
		if strings.HasPrefix(function, "reflect.") || strings.HasPrefix(function, "main.tandem") {
			break
		}
		if strings.HasPrefix(function, "runtime.") {
			continue
		}
		location := lines[i+1]
		if at := strings.LastIndex(location, " +0x"); at >= 0 {
			location = location[:at]
		}
		kept = append(kept, function, location)
	}
	return strings.Join(kept, "\n")
}

func tandemEncode(out *bytes.Buffer, value reflect.Value, spec *tandemType) error {
	optional := spec != nil && spec.Kind == "optional"
	inner := spec
	if optional {
		inner = spec.Of
	}
	var element *tandemType
	if inner != nil && (inner.Kind == "array" || inner.Kind == "map") {
		element = inner.Of
	}
	switch value.Kind() {
	case reflect.Interface:
		if value.IsNil() {
			out.WriteString("null")
			return nil
		}
		return tandemEncode(out, value.Elem(), spec)
	case reflect.Pointer:
		if value.IsNil() {
			out.WriteString("null")
			return nil
		}
		return tandemEncode(out, value.Elem(), inner)
	case reflect.Bool:
		out.WriteString(strconv.FormatBool(value.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		out.WriteString(strconv.FormatInt(value.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		out.WriteString(strconv.FormatUint(value.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		f := value.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("the return value contains NaN or infinity")
		}
		out.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case reflect.String:
		text, _ := json.Marshal(value.String())
		out.Write(text)
	case reflect.Slice, reflect.Array:
		if value.Kind() == reflect.Slice && value.IsNil() {
			if optional {
				out.WriteString("null")
			} else {
				out.WriteString("[]")
			}
			return nil
		}
		out.WriteByte('[')
		for i := 0; i < value.Len(); i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			if err := tandemEncode(out, value.Index(i), element); err != nil {
				return err
			}
		}
		out.WriteByte(']')
	case reflect.Map:
		if value.IsNil() && optional {
			out.WriteString("null")
			return nil
		}
		if value.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("cannot send a map with %s keys back as JSON", value.Type().Key())
		}
		keys := value.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return keys[a].String() < keys[b].String() })
		out.WriteByte('{')
		for i, key := range keys {
			if i > 0 {
				out.WriteByte(',')
			}
			name, _ := json.Marshal(key.String())
			out.Write(name)
			out.WriteByte(':')
			if err := tandemEncode(out, value.MapIndex(key), element); err != nil {
				return err
			}
		}
		out.WriteByte('}')
	default:
		return fmt.Errorf("cannot send a %s back as JSON", value.Type())
	}
	return nil
}
