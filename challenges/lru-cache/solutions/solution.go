package main

import "container/list"

type entry struct {
	key, value int
}

// lruCache keeps a map from key to an element of a doubly linked list ordered by recency (front
// = most recent): MoveToFront and Remove are O(1), so every operation is O(1).
func lruCache(capacity int, ops []string, args [][]int) []*int {
	recency := list.New()
	index := make(map[int]*list.Element)
	results := make([]*int, 0, len(ops))
	for i, op := range ops {
		key := args[i][0]
		element, found := index[key]
		if op == "get" {
			if !found {
				results = append(results, nil)
				continue
			}
			recency.MoveToFront(element)
			value := element.Value.(*entry).value
			results = append(results, &value)
			continue
		}
		if found {
			// An update makes the key the most recent and evicts nothing.
			element.Value.(*entry).value = args[i][1]
			recency.MoveToFront(element)
			results = append(results, nil)
			continue
		}
		var evicted *int
		if recency.Len() == capacity {
			oldest := recency.Remove(recency.Back()).(*entry)
			delete(index, oldest.key)
			evicted = &oldest.key
		}
		index[key] = recency.PushFront(&entry{key: key, value: args[i][1]})
		results = append(results, evicted)
	}
	return results
}
