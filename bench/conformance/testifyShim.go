// A stand-in for the two parts of github.com/stretchr/testify/assert and testing that
// HumanEval-X's Go tests use (assert.New and Assertions.Equal), so those tests run as a plain
// `package main` program without the network. Written for Tandem; no testify code is copied.
//
// goProgram.ts pastes everything below the import block into each program, rewrites
// `*testing.T` to `*conformanceT` and adds a main that calls the tests. Semantics follow
// testify's documented behaviour: Equal compares with reflect.DeepEqual ([]byte with
// bytes.Equal), refuses functions, and a failure marks the test failed without stopping it.
package main

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
)

// conformanceT replaces *testing.T: it only records whether an assertion failed.
type conformanceT struct {
	failed bool
}

type conformanceAssertions struct {
	t *conformanceT
}

type conformanceAssertPackage struct{}

// assert stands in for the testify package, so `assert := assert.New(t)` reads as in the tests.
var assert conformanceAssertPackage

func (conformanceAssertPackage) New(t *conformanceT) *conformanceAssertions {
	return &conformanceAssertions{t: t}
}

// Equal reports whether expected and actual are equal, marking the test failed when not.
func (a *conformanceAssertions) Equal(expected, actual interface{}, msgAndArgs ...interface{}) bool {
	if isFunction(expected) || isFunction(actual) {
		a.fail("cannot compare functions", expected, actual, msgAndArgs)
		return false
	}
	if objectsAreEqual(expected, actual) {
		return true
	}
	a.fail("not equal", expected, actual, msgAndArgs)
	return false
}

func (a *conformanceAssertions) fail(what string, expected, actual interface{}, msgAndArgs []interface{}) {
	a.t.failed = true
	fmt.Fprintf(os.Stderr, "assert.Equal failed: %s\n  expected: %#v\n  actual:   %#v\n", what, expected, actual)
	if len(msgAndArgs) > 0 {
		fmt.Fprintln(os.Stderr, msgAndArgs...)
	}
}

func objectsAreEqual(expected, actual interface{}) bool {
	if expected == nil || actual == nil {
		return expected == actual
	}
	exp, ok := expected.([]byte)
	if !ok {
		return reflect.DeepEqual(expected, actual)
	}
	act, ok := actual.([]byte)
	if !ok {
		return false
	}
	if exp == nil || act == nil {
		return exp == nil && act == nil
	}
	return bytes.Equal(exp, act)
}

func isFunction(value interface{}) bool {
	return value != nil && reflect.TypeOf(value).Kind() == reflect.Func
}

// conformanceMain runs every test, then exits 1 if any assertion failed (as `go test` would).
func conformanceMain(tests ...func(*conformanceT)) {
	t := &conformanceT{}
	for _, test := range tests {
		test(t)
	}
	if t.failed {
		os.Exit(1)
	}
}
