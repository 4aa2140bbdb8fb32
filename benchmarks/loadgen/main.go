// Command loadgen sends requests at a fixed rate to a server on loopback, for a bounded time, and prints throughput
// and latency percentiles. Latency is measured from each request's scheduled send time, so a server that falls
// behind cannot hide its queueing (no coordinated omission). Two kinds of request:
//
//	go run ./benchmarks/loadgen -project prj-… -api-key rlk_… -rate 2000 -seconds 30    # decisions
//	go run ./benchmarks/loadgen -endpoint opt-outs -admin-password … -rate 200 -seconds 30
//
// The second registers a global opt-out for a new synthetic person per request (staff API, one idempotency key
// each), so every request is a durable append to the ledger.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	project := flag.String("project", "", "project id")
	apiKey := flag.String("api-key", "", "data holder API key")
	rate := flag.Int("rate", 2000, "requests per second")
	seconds := flag.Int("seconds", 30, "duration")
	endpoint := flag.String("endpoint", "decisions", "decisions (data holder key) or opt-outs (staff password)")
	adminPassword := flag.String("admin-password", "", "the admin account's password, for -endpoint opt-outs")
	flag.Parse()

	u, err := url.Parse(*target)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		fmt.Fprintln(os.Stderr, "loadgen only targets a server on loopback")
		os.Exit(2)
	}
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64},
	}
	total := *rate * *seconds
	latencies := make([]time.Duration, total)
	var failures int64
	var wg sync.WaitGroup
	period := time.Second / time.Duration(*rate)
	run := time.Now().UnixNano() % 1_000_000 * 1_000
	start := time.Now().Add(100 * time.Millisecond)
	for i := 0; i < total; {
		// send everything due now, then nap briefly: sleeping per request would add the timer's granularity
		due := int(time.Since(start) / period)
		if due <= i {
			time.Sleep(100 * time.Microsecond)
			continue
		}
		for ; i < due && i < total; i++ {
			scheduled := start.Add(time.Duration(i) * period)
			wg.Add(1)
			go func(i int, scheduled time.Time) {
				defer wg.Done()
				var req *http.Request
				want := http.StatusOK
				if *endpoint == "opt-outs" {
					body := fmt.Sprintf(`{"person":"%s","scope":{"type":"GLOBAL"},"channel":"POST","idempotencyKey":"load-%d-%d"}`,
						nir(run+int64(i)), run, i)
					req, _ = http.NewRequest(http.MethodPost, *target+"/api/v1/opt-outs", bytes.NewBufferString(body))
					req.SetBasicAuth("admin", *adminPassword)
					want = http.StatusCreated
				} else {
					body := fmt.Sprintf(`{"person":"%016x%016x","projectId":"%s"}`, uint64(i)*0x9E3779B97F4A7C15, i, *project)
					req, _ = http.NewRequest(http.MethodPost, *target+"/api/v1/decisions", bytes.NewBufferString(body))
					req.Header.Set("X-Api-Key", *apiKey)
				}
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					atomic.AddInt64(&failures, 1)
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != want {
						atomic.AddInt64(&failures, 1)
					}
				}
				latencies[i] = time.Since(scheduled)
			}(i, scheduled)
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	pct := func(p float64) time.Duration { return latencies[int(float64(total-1)*p)] }
	fmt.Printf("%d requests at %d/s for %d s: %.0f completed/s, %d failed\n", total, *rate, *seconds,
		float64(total)/elapsed.Seconds(), failures)
	fmt.Printf("latency from scheduled send: p50 %v, p99 %v, p99.9 %v, max %v\n",
		pct(0.50), pct(0.99), pct(0.999), latencies[total-1])
}

// nir is a valid synthetic NIR (men born abroad, department 99) for person n, with its key.
func nir(n int64) string {
	body := fmt.Sprintf("1%02d%02d99%03d%03d", n%100, 1+(n/100)%12, (n/1200)%1000, 1+(n/1200000)%999)
	var v int64
	fmt.Sscan(body, &v)
	return fmt.Sprintf("%s%02d", body, 97-v%97)
}
