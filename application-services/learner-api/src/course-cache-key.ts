/** The one cache key of a course's detail: the loader and every invalidation must agree on it. */
export function courseCacheKey(courseId: string): string {
  return `course:${courseId}`;
}
