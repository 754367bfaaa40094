import { mentionsIn } from "../../../proof/access/mentions";

describe("mentionsIn answers as a substring search does", () => {
  const text = JSON.stringify({
    Principal: { AWS: ["arn:aws:iam::111111111111:role/alice-replication", "arn:aws:iam::111111111111:root"] },
    Condition: { StringLike: { "aws:SourceArn": "arn:aws:s3:::alice-logs-*" } },
    Resource: "arn:aws:s3:::bob-archive/*",
  });
  const mentions = mentionsIn(text);
  test.each([
    "arn:aws:iam::111111111111:role/alice-replication",
    "arn:aws:iam::111111111111:role/alice-rep", // a prefix of a named ARN is in the text, as includes says
    "arn:aws:iam::111111111111:root",
    "arn:aws:s3:::bob-archive",
    "arn:aws:iam::111111111111:role/alice-replication-2",
    "arn:aws:iam::222222222222:root",
    "arn:aws:sts::111111111111:assumed-role/alice-replication/s3-replication",
    "111111111111",
    "bob-archive/*",
    "s3.amazonaws.com",
  ])("%s", (s) => {
    expect(mentions(s)).toBe(text.includes(s));
  });

  test("every slice of the text that begins with arn: is found", () => {
    for (let i = text.indexOf("arn:"); i !== -1; i = text.indexOf("arn:", i + 1))
      for (const length of [4, 10, 25, 40]) expect(mentions(text.slice(i, i + length))).toBe(true);
  });
});
