/** Disjoint sets over non-negative integers (path halving, union by size). */
export class UnionFind {
  private readonly parent = new Map<number, number>();
  private readonly size = new Map<number, number>();

  find(x: number): number {
    let p = this.parent.get(x);
    if (p === undefined) {
      this.parent.set(x, x);
      this.size.set(x, 1);
      return x;
    }
    while (p !== x) {
      const gp = this.parent.get(p) as number;
      this.parent.set(x, gp);
      x = p;
      p = this.parent.get(x) as number;
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size.get(ra) as number) < (this.size.get(rb) as number)) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, (this.size.get(ra) as number) + (this.size.get(rb) as number));
  }

  /** The sets `members` fall into, each listed once, in order of first member. */
  groups(members: Iterable<number>): number[][] {
    const by = new Map<number, number[]>();
    for (const m of members) {
      const r = this.find(m);
      const list = by.get(r);
      if (list === undefined) by.set(r, [m]);
      else list.push(m);
    }
    return [...by.values()];
  }
}
